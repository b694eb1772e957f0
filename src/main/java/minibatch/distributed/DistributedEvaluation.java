package minibatch.distributed;

import minibatch.data.CachedImages;
import minibatch.nn.NetworkShape;

/** Loss and accuracy of fixed weights over a whole DataFrame, in one Spark job. */
public final class DistributedEvaluation {
    private DistributedEvaluation() {
    }

    /** Summed loss, correct count and row count over every row of {@code rows}. */
    public static EvaluationSums evaluate(CachedImages rows, NetworkShape shape, double[] params,
                                          String jobDescription) {
        return PartitionSums.sum(rows.all(), new PartitionEvaluation(shape, params), EvaluationSums::merge,
                new EvaluationSums(), jobDescription);
    }

    /** Gradient sums over every row of {@code rows} (full batch), for checks and tests. */
    public static GradientSums fullGradient(CachedImages rows, NetworkShape shape, double[] params) {
        return PartitionSums.sum(rows.all(), new PartitionGradient(shape, params), GradientSums::merge,
                new GradientSums(shape.parameterCount()), "full gradient");
    }
}
