package minibatch.training;

import minibatch.distributed.GradientSums;
import minibatch.nn.NetworkShape;
import minibatch.nn.ParallelChunks;

/**
 * The driver's one division of a step: {@code mean = gradientSum / N}, plus the L2 term
 * {@code λ·W} on weights (never on biases), in chunks on the driver's cores ({@link ParallelChunks}).
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
        boolean[] finite = new boolean[(out.length + ParallelChunks.CHUNK - 1) / ParallelChunks.CHUNK + 1];
        java.util.Arrays.fill(finite, true);
        ParallelChunks.forEach(out.length, (from, to) -> {
            sums.meanInto(out, from, to);
            if (weightDecay > 0) {
                for (int l = 0; l < shape.layers(); l++) {
                    int end = Math.min(to, shape.biasOffset(l));
                    for (int i = Math.max(from, shape.weightOffset(l)); i < end; i++) {
                        out[i] += weightDecay * params[i];
                    }
                }
            }
            boolean ok = true;
            for (int i = from; i < to; i++) {
                ok &= Double.isFinite(out[i]);
            }
            finite[from / ParallelChunks.CHUNK] = ok; // each range starts at its own multiple of CHUNK
        });
        boolean all = true;
        for (boolean ok : finite) {
            all &= ok;
        }
        return all;
    }
}
