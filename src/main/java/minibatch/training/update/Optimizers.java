package minibatch.training.update;

import java.util.List;
import minibatch.config.OptimizerConfig;

/**
 * The optimizers, as in the textbook (deep-learning-from-scratch {@code common/optimizer.py}); each
 * is a few lines over a range of flat arrays ({@link Optimizer.RangeUpdate}), which the driver runs
 * in chunks on its cores (the same numbers as one loop). {@code eps} keeps divisions finite.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** A new optimizer (with zeroed state) for {@code size} parameters. */
    public static Optimizer create(OptimizerConfig c, int size) {
        return switch (c.kind()) {
            case SGD -> new Sgd();
            case MOMENTUM -> new Momentum(c.momentum(), size);
            case NESTEROV -> new Nesterov(c.momentum(), size);
            case ADAGRAD -> new AdaGrad(c.epsilon(), size);
            case RMSPROP -> new RmsProp(c.rho(), c.epsilon(), size);
            case ADAM -> new Adam(c.beta1(), c.beta2(), c.epsilon(), size);
        };
    }

    /** {@code w -= lr · g}. */
    static final class Sgd implements Optimizer {
        @Override
        public RangeUpdate step(double lr) {
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    w[i] -= lr * g[i];
                }
            };
        }
    }

    /** {@code v = μ·v − lr·g; w += v}. */
    static final class Momentum implements Optimizer {
        private final double mu;
        private final double[] v;

        Momentum(double mu, int size) {
            this.mu = mu;
            this.v = new double[size];
        }

        @Override
        public List<double[]> state() {
            return List.of(v);
        }

        @Override
        public RangeUpdate step(double lr) {
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = mu * v[i] - lr * g[i];
                    w[i] += v[i];
                }
            };
        }
    }

    /**
     * Nesterov's accelerated gradient in its look-ahead-free form (Bengio et al. 2012; as Keras and
     * PyTorch do it): {@code v = μ·v − lr·g; w += μ·v − lr·g}, i.e. {@code w += μ²·v_old − (1+μ)·lr·g}.
     * The weights kept are the look-ahead point {@code θ + μ·v} of Sutskever's form, where the
     * gradient is taken.
     */
    static final class Nesterov implements Optimizer {
        private final double mu;
        private final double[] v;

        Nesterov(double mu, int size) {
            this.mu = mu;
            this.v = new double[size];
        }

        @Override
        public List<double[]> state() {
            return List.of(v);
        }

        @Override
        public RangeUpdate step(double lr) {
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = mu * v[i] - lr * g[i];
                    w[i] += mu * v[i] - lr * g[i];
                }
            };
        }
    }

    /** {@code h += g²; w −= lr·g / (√h + eps)}. */
    static final class AdaGrad implements Optimizer {
        private final double eps;
        private final double[] h;

        AdaGrad(double eps, int size) {
            this.eps = eps;
            this.h = new double[size];
        }

        @Override
        public List<double[]> state() {
            return List.of(h);
        }

        @Override
        public RangeUpdate step(double lr) {
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    h[i] += g[i] * g[i];
                    w[i] -= lr * g[i] / (Math.sqrt(h[i]) + eps);
                }
            };
        }
    }

    /** {@code h = ρ·h + (1−ρ)·g²; w −= lr·g / (√h + eps)}. */
    static final class RmsProp implements Optimizer {
        private final double rho;
        private final double eps;
        private final double[] h;

        RmsProp(double rho, double eps, int size) {
            this.rho = rho;
            this.eps = eps;
            this.h = new double[size];
        }

        @Override
        public List<double[]> state() {
            return List.of(h);
        }

        @Override
        public RangeUpdate step(double lr) {
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    h[i] = rho * h[i] + (1 - rho) * g[i] * g[i];
                    w[i] -= lr * g[i] / (Math.sqrt(h[i]) + eps);
                }
            };
        }
    }

    /**
     * Adam with bias correction folded into the rate, {@code lr_t = lr·√(1−β2^t)/(1−β1^t)}:
     * {@code m += (1−β1)(g−m); v += (1−β2)(g²−v); w −= lr_t·m / (√v + eps)}.
     */
    static final class Adam implements Optimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double[] m;
        private final double[] v;
        private long t;

        Adam(double beta1, double beta2, double eps, int size) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.m = new double[size];
            this.v = new double[size];
        }

        @Override
        public List<double[]> state() {
            return List.of(m, v);
        }

        @Override
        public long updates() {
            return t;
        }

        @Override
        public void restore(List<double[]> saved, long updates) {
            Optimizer.super.restore(saved, updates);
            t = updates;
        }

        @Override
        public RangeUpdate step(double lr) {
            t++;
            double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            return (w, g, from, to) -> {
                for (int i = from; i < to; i++) {
                    m[i] += (1 - beta1) * (g[i] - m[i]);
                    v[i] += (1 - beta2) * (g[i] * g[i] - v[i]);
                    w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
                }
            };
        }
    }
}
