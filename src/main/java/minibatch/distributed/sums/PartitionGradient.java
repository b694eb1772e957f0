package minibatch.distributed.sums;

import java.util.Iterator;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Network;
import minibatch.nn.Pass;

/**
 * Runs on an executor: turns the sampled rows of one partition into one {@link GradientSums}.
 * The weights travel inside this function (the task closure), about 320 KB for 784-50-10.
 * Dropout masks come from a generator seeded by the step's dropout seed and the partition index,
 * so a retried task draws the same masks.
 */
public final class PartitionGradient implements PartitionFunction<LabeledImage, GradientSums> {
    private static final long serialVersionUID = 1L;

    private final Network shape;
    private final double[] params;
    private final double dropout;
    private final long dropoutSeed;

    public PartitionGradient(Network shape, double[] params, double dropout, long dropoutSeed) {
        this.shape = shape;
        this.params = params;
        this.dropout = dropout;
        this.dropoutSeed = dropoutSeed;
    }

    /**
     * The rows go through the network's {@link Pass} {@code maxRows()} at a time; for a dense
     * network that is {@link BatchBackprop}: its sparse layers give
     * the bits of a row-by-row pass (the tests' reference), faster, and its wide hidden-to-hidden
     * layers run as matrix products.
     */
    @Override
    public GradientSums apply(int partition, Iterator<LabeledImage> rows) {
        return apply(partition, rows, new double[shape.parameterCount()]);
    }

    /**
     * As {@link #apply(int, Iterator)}, summing the gradient into {@code gradientSum}
     * ({@code [parameterCount]}, zeroed here), which the returned sums keep: a resident task reuses
     * one array for all its steps, since the driver is done with step t's sums before step t+1's
     * order reaches the task (a fresh 15 MB array per step for the large network kept the garbage
     * collector busy).
     */
    public GradientSums apply(int partition, Iterator<LabeledImage> rows, double[] gradientSum) {
        java.util.Arrays.fill(gradientSum, 0.0);
        SplittableRandom rng = dropout > 0 || shape.hasDropoutLayers() ? new SplittableRandom(dropoutSeed ^ (0x9E3779B97F4A7C15L * (partition + 1))) : null;
        Pass pass = shape.passForThread();
        int[] labels = new int[pass.maxRows()];
        double lossSum = 0.0;
        long count = 0;
        while (rows.hasNext()) {
            int n = RowChunks.next(rows, pass, shape.inputs(), labels);
            lossSum = pass.accumulate(params, labels, n, gradientSum, lossSum, dropout, rng);
            count += n;
        }
        return new GradientSums(lossSum, gradientSum, count);
    }
}
