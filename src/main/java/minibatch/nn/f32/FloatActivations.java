package minibatch.nn.f32;

import minibatch.nn.Activation;

/** The hidden-layer {@link Activation}s over {@code float[]}: in place, derivatives from the outputs. */
final class FloatActivations {
    private FloatActivations() {
    }

    /** Replaces {@code z[off..off+n)} (pre-activations) by {@code act}'s activations. */
    static void apply(Activation act, float[] z, int off, int n) {
        switch (act) {
            // Java has no float exp or tanh: the double result rounded once is the nearest float
            case SIGMOID -> {
                for (int i = off; i < off + n; i++) {
                    z[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
                }
            }
            case RELU -> {
                for (int i = off; i < off + n; i++) {
                    z[i] = z[i] > 0f ? z[i] : 0f;
                }
            }
            case TANH -> {
                for (int i = off; i < off + n; i++) {
                    z[i] = (float) Math.tanh(z[i]);
                }
            }
            case STEP -> {
                for (int i = off; i < off + n; i++) {
                    z[i] = z[i] > 0f ? 1f : 0f;
                }
            }
        }
    }

    /** d activation / d z through the activation's output {@code a}, as {@link Activation#derivativeFromOutput}. */
    static float derivativeFromOutput(Activation act, float a) {
        return switch (act) {
            case SIGMOID -> a * (1f - a);
            case RELU -> a > 0f ? 1f : 0f;
            case TANH -> 1f - a * a;
            case STEP -> 0f;
        };
    }
}
