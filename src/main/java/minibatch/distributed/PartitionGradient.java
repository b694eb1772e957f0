package minibatch.distributed;

import java.util.Iterator;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;

/**
 * Runs on an executor: turns the sampled rows of one partition into one {@link GradientSums}.
 * The weights travel inside this function (the task closure), about 320 KB for 784-50-10.
 * Dropout masks come from a generator seeded by the step's dropout seed and the partition index,
 * so a retried task draws the same masks.
 */
final class PartitionGradient implements PartitionFunction<LabeledImage, GradientSums> {
    private static final long serialVersionUID = 1L;

    private final NetworkShape shape;
    private final double[] params;
    private final double dropout;
    private final long dropoutSeed;

    PartitionGradient(NetworkShape shape, double[] params, double dropout, long dropoutSeed) {
        this.shape = shape;
        this.params = params;
        this.dropout = dropout;
        this.dropoutSeed = dropoutSeed;
    }

    PartitionGradient(NetworkShape shape, double[] params) {
        this(shape, params, 0.0, 0L);
    }

    @Override
    public GradientSums apply(int partition, Iterator<LabeledImage> rows) {
        SplittableRandom rng = dropout > 0 ? new SplittableRandom(dropoutSeed ^ (0x9E3779B97F4A7C15L * (partition + 1))) : null;
        if (BatchBackprop.needed(shape)) {
            return batches(rows, rng);
        }
        Backprop pass = new Backprop(shape);
        GradientSums sums = new GradientSums(shape.parameterCount());
        while (rows.hasNext()) {
            LabeledImage row = rows.next();
            row.input(pass.input());
            sums.add(pass, params, row.label(), dropout, rng);
        }
        return sums;
    }

    /** A network with a wide hidden-to-hidden layer: the rows go through {@link BatchBackprop} {@code MAX_ROWS} at a time. */
    private GradientSums batches(Iterator<LabeledImage> rows, SplittableRandom rng) {
        BatchBackprop pass = new BatchBackprop(shape);
        int[] labels = new int[BatchBackprop.MAX_ROWS];
        double[] gradientSum = new double[shape.parameterCount()];
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
