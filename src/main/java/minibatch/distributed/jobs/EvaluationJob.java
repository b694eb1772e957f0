package minibatch.distributed.jobs;

import minibatch.data.cache.CachedImages;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.distributed.sums.GradientSums;
import minibatch.distributed.sums.PartitionEvaluation;
import minibatch.distributed.sums.PartitionGradient;
import minibatch.nn.NetworkShape;

/** Loss and accuracy of fixed weights over a whole data set, in one Spark job. */
public final class EvaluationJob {
    private EvaluationJob() {
    }

    /** Confusion matrix, summed loss and row count over every row of {@code rows}. */
    public static ConfusionSums evaluate(CachedImages rows, NetworkShape shape, double[] params, String jobDescription) {
        return SumJob.sum(rows.rows(), new DecodedRows<>(rows.layout(), new PartitionEvaluation(shape, params)),
                ConfusionSums::merge, new ConfusionSums(shape.classes()), jobDescription);
    }

    /** Gradient sums over every row of {@code rows} (full batch), for checks and tests. */
    public static GradientSums fullGradient(CachedImages rows, NetworkShape shape, double[] params) {
        return SumJob.sum(rows.rows(), new DecodedRows<>(rows.layout(), new PartitionGradient(shape, params)),
                GradientSums::merge, new GradientSums(shape.parameterCount()), "full gradient");
    }
}
