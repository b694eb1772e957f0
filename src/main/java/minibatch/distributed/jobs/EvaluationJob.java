package minibatch.distributed.jobs;

import minibatch.data.cache.CachedImages;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.distributed.sums.PartitionEvaluation;
import minibatch.nn.Network;

/** Loss and accuracy of fixed weights over a whole data set, in one Spark job. */
public final class EvaluationJob {
    private EvaluationJob() {
    }

    /** Confusion matrix, summed loss and row count over every row of {@code rows}. */
    public static ConfusionSums evaluate(CachedImages rows, Network shape, double[] params, String jobDescription) {
        String taskHook = MinibatchSettings.taskHook(rows.frame().sparkSession().conf());
        return SumJob.sum(rows.rows(), new DecodedRows<>(rows.layout(), new PartitionEvaluation(shape, params, taskHook)),
                ConfusionSums::merge, new ConfusionSums(shape.classes()), jobDescription);
    }
}
