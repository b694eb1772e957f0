package minibatch.training;

import minibatch.distributed.GradientSums;
import minibatch.nn.NetworkShape;

/**
 * The driver's one division of a step: {@code mean = gradientSum / N}, plus the L2 term
 * {@code λ·W} on weights (never on biases).
 */
final class MeanGradient {
    private MeanGradient() {
    }

    /**
     * Writes the mean gradient into {@code out} ({@code [parameterCount]}).
     *
     * @return false if any entry is not finite
     */
    static boolean compute(GradientSums sums, double[] params, NetworkShape shape, double weightDecay, double[] out) {
        double[] gradientSum = sums.gradientSum();
        long n = sums.count();
        for (int i = 0; i < out.length; i++) {
            out[i] = gradientSum[i] / n;
        }
        if (weightDecay > 0) {
            for (int l = 0; l < shape.layers(); l++) {
                for (int i = shape.weightOffset(l); i < shape.biasOffset(l); i++) {
                    out[i] += weightDecay * params[i];
                }
            }
        }
        boolean finite = true;
        for (double g : out) {
            finite &= Double.isFinite(g);
        }
        return finite;
    }
}
