package minibatch.distributed;

import minibatch.nn.NetworkShape;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Loss and accuracy of fixed weights over a whole DataFrame, in one Spark job. */
public final class DistributedEvaluation {
    private DistributedEvaluation() {
    }

    /** Summed loss, correct count and row count over every row of {@code rows}. */
    public static EvaluationSums evaluate(Dataset<Row> rows, NetworkShape shape, double[] params,
                                          String jobDescription) {
        return PartitionSums.sum(rows, new PartitionEvaluation(shape, params), EvaluationSums::merge,
                new EvaluationSums(), jobDescription);
    }

    /** Gradient sums over every row of {@code rows} (full batch), for checks and tests. */
    public static GradientSums fullGradient(Dataset<Row> rows, NetworkShape shape, double[] params) {
        return PartitionSums.sum(rows, new PartitionGradient(shape, params), GradientSums::merge,
                new GradientSums(shape.parameterCount()), "full gradient");
    }
}
