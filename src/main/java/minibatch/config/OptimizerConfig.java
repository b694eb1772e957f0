package minibatch.config;

import minibatch.Names;
import minibatch.UserError;

/**
 * The optimizer and its hyper-parameters (each used only by the optimizers that have it).
 *
 * @param momentum {@code μ} of momentum and Nesterov
 * @param rho      decay of RMSProp's squared-gradient average
 * @param beta1    Adam's first-moment decay
 * @param beta2    Adam's second-moment decay
 * @param epsilon  added to square roots in AdaGrad, RMSProp and Adam
 */
public record OptimizerConfig(Kind kind, double momentum, double rho, double beta1, double beta2, double epsilon) {
    public enum Kind {
        SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM;

        public static Kind parse(String name) {
            return Names.parse(Kind.class, name, "optimizer");
        }

        public String id() {
            return Names.id(this);
        }
    }

    /** Plain SGD. */
    public static final OptimizerConfig SGD = new OptimizerConfig(Kind.SGD, 0.9, 0.99, 0.9, 0.999, 1e-7);

    public OptimizerConfig {
        check(kind != null, "--optimizer is required");
        check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got " + momentum + ")");
        check(rho > 0 && rho < 1, "--rho must be in (0, 1) (got " + rho + ")");
        check(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1) (got " + beta1 + ")");
        check(beta2 > 0 && beta2 < 1, "--beta2 must be in (0, 1) (got " + beta2 + ")");
        check(epsilon > 0 && Double.isFinite(epsilon), "--epsilon must be a finite number > 0 (got " + epsilon + ")");
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }
}
