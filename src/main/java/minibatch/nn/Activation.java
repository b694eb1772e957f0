package minibatch.nn;

import minibatch.Names;

/**
 * Hidden-layer activation functions. Each works element-wise in place and gives its derivative
 * from the activation's <em>output</em>, which is what backprop keeps per row.
 */
public enum Activation {
    /** 1 / (1 + e^-z): the classic choice; its derivative is never exactly zero. */
    SIGMOID {
        @Override
        public void apply(double[] z, int off, int n) {
            for (int i = off; i < off + n; i++) {
                z[i] = 1.0 / (1.0 + Math.exp(-z[i]));
            }
        }

        @Override
        public double derivativeFromOutput(double a) {
            return a * (1.0 - a);
        }
    },
    /** max(0, z). */
    RELU {
        @Override
        public void apply(double[] z, int off, int n) {
            for (int i = off; i < off + n; i++) {
                z[i] = z[i] > 0.0 ? z[i] : 0.0; // branch-free: about half the units are negative, unpredictably
            }
        }

        @Override
        public double derivativeFromOutput(double a) {
            return a > 0.0 ? 1.0 : 0.0;
        }
    },

    /** (e^z - e^-z) / (e^z + e^-z): zero-centred sigmoid. */
    TANH {
        @Override
        public void apply(double[] z, int off, int n) {
            for (int i = off; i < off + n; i++) {
                z[i] = Math.tanh(z[i]);
            }
        }

        @Override
        public double derivativeFromOutput(double a) {
            return 1.0 - a * a;
        }
    },
    /**
     * 1 if z > 0 else 0. Its derivative is 0 wherever it exists, so nothing below a step layer can
     * learn: offered to show why smooth activations are used, not to train with.
     */
    STEP {
        @Override
        public void apply(double[] z, int off, int n) {
            for (int i = off; i < off + n; i++) {
                z[i] = z[i] > 0.0 ? 1.0 : 0.0;
            }
        }

        @Override
        public double derivativeFromOutput(double a) {
            return 0.0;
        }
    };

    /** Replaces {@code z[0..n)} (pre-activations) by the activations. */
    public void apply(double[] z, int n) {
        apply(z, 0, n);
    }

    /** Replaces {@code z[off..off+n)} (pre-activations) by the activations. */
    public abstract void apply(double[] z, int off, int n);

    /** d activation / d z, expressed through the activation's output {@code a}. */
    public abstract double derivativeFromOutput(double a);

    /** Parses a CLI/config name such as {@code sigmoid} or {@code relu}. */
    public static Activation parse(String name) {
        return Names.parse(Activation.class, name, "activation");
    }

    /** The lower-case name used on the command line and in saved models. */
    public String id() {
        return Names.id(this);
    }
}
