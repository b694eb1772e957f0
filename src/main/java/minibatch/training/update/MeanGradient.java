package minibatch.training.update;

import java.util.List;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Network;
import minibatch.nn.ParallelChunks;

/**
 * The driver's one division of a step and its update: {@code mean = gradientSum / N}, plus the L2
 * term {@code λ·W} on weights (never on biases), handed to the optimizer a chunk at a time
 * ({@link ParallelChunks#CHUNK} entries, on the driver's cores). The optimizer reads each chunk of
 * the mean while it is still in the core's cache: for a large network the step is memory-bound,
 * and a mean written out whole before the update would be read back from memory.
 */
public final class MeanGradient {
    private MeanGradient() {
    }

    /**
     * Updates {@code params} by {@code update} from the mean of {@code sums}: the same bits as
     * writing the whole mean first and updating after, since every entry is computed by the same
     * operations.
     *
     * @param params flat parameters ({@code [parameterCount]}), updated in place
     * @param mean   scratch for the mean gradient ({@code [parameterCount]}); holds it afterwards
     * @return false if any entry of the mean is not finite: its chunk is then left as it was, and
     *         the caller must not go on with {@code params} (training has diverged)
     */
    public static boolean update(GradientSums sums, double[] params, Network shape, double weightDecay,
                                 double[] mean, Optimizer.RangeUpdate update) {
        boolean[] finite = new boolean[(params.length + ParallelChunks.CHUNK - 1) / ParallelChunks.CHUNK + 1];
        java.util.Arrays.fill(finite, true);
        List<Network.WeightBlock> weights = shape.weights();
        ParallelChunks.forEach(params.length, (from, to) -> {
            boolean ok = true;
            for (int c = from; c < to && ok; c += ParallelChunks.CHUNK) {
                int end = Math.min(to, c + ParallelChunks.CHUNK);
                ok = meanOf(sums, params, weights, weightDecay, c, end, mean);
                if (ok) {
                    update.apply(params, mean, c, end);
                }
            }
            finite[from / ParallelChunks.CHUNK] = ok; // each range starts at its own multiple of CHUNK
        });
        boolean all = true;
        for (boolean ok : finite) {
            all &= ok;
        }
        return all;
    }

    /**
     * Entries {@code [from, to)} of the mean into {@code mean}: the sums divided by N
     * ({@link GradientSums#meanInto}, the step's one division), plus the L2 term; false if one is
     * not finite.
     */
    private static boolean meanOf(GradientSums sums, double[] params, List<Network.WeightBlock> weights,
                                  double weightDecay, int from, int to, double[] mean) {
        sums.meanInto(mean, from, to);
        if (weightDecay > 0) {
            for (Network.WeightBlock block : weights) {
                int end = Math.min(to, block.offset() + block.length());
                for (int i = Math.max(from, block.offset()); i < end; i++) {
                    mean[i] += weightDecay * params[i];
                }
            }
        }
        boolean ok = true;
        for (int i = from; i < to; i++) {
            ok &= Double.isFinite(mean[i]);
        }
        return ok;
    }
}
