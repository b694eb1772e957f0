package minibatch.distributed.sums;

import java.util.List;
import minibatch.nn.ParallelChunks;

/**
 * Several partitions' gradient sums ({@code [parts][parameterCount]}, in partition order) not yet
 * added together. A total over many tasks stays in this form until someone needs it: the driver
 * adds it inside its one division by N ({@link GradientSums#meanInto}), in one pass over the
 * arrays instead of two (for a large network the pass is memory-bound, and most of the merge time);
 * an executor adds it just before the one array leaves for another JVM ({@link #added()}).
 *
 * <p>Both give {@code ((0.0 + p0) + p1) + ...} per entry: the bits of merging the parts one by one
 * into empty sums ({@link GradientSums#merge}).
 */
public final class UnaddedGradients {
    private final double[][] parts;

    /** {@code parts}: {@code [parts][parameterCount]}, at least one, kept, not copied. */
    public UnaddedGradients(double[][] parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("no gradient arrays to add");
        }
        this.parts = parts;
    }

    static UnaddedGradients of(List<double[]> parts) {
        return new UnaddedGradients(parts.toArray(new double[0][]));
    }

    /** The arrays, {@code [parts][parameterCount]}, in partition order: live, not copies. */
    public double[][] parts() {
        return parts;
    }

    /** The parameter count (every part's length). */
    public int length() {
        return parts[0].length;
    }

    /**
     * Entries {@code [from, to)} of the parts' total into {@code out}: {@code ((0.0 + p0) + p1) + ...},
     * merge's order, an array at a time, every array indexed alike (loops that vectorize).
     */
    public void addInto(double[] out, int from, int to) {
        double[] first = parts[0];
        for (int i = from; i < to; i++) {
            out[i] = 0.0 + first[i];
        }
        for (int p = 1; p < parts.length; p++) {
            double[] part = parts[p];
            for (int i = from; i < to; i++) {
                out[i] += part[i];
            }
        }
    }

    /**
     * The parts' total as one new array ({@code [parameterCount]}), added a cache-sized chunk at a
     * time. Element-wise, so cores may share it ({@link ParallelChunks}) with the same result; on
     * an executor one thread per part: the parts' tasks hold those cores and wait meanwhile.
     */
    public double[] added() {
        double[] sum = new double[length()];
        ParallelChunks.forEach(sum.length, parts.length, (from, to) -> {
            for (int c = from; c < to; c += ParallelChunks.CHUNK) {
                addInto(sum, c, Math.min(to, c + ParallelChunks.CHUNK));
            }
        });
        return sum;
    }
}
