package minibatch.distributed;

import java.util.Iterator;
import java.util.List;
import minibatch.data.CachedImages;
import minibatch.data.LabeledImage;
import minibatch.nn.Backprop;
import minibatch.nn.Pixels;
import minibatch.nn.SoftmaxCrossEntropy;
import org.apache.spark.api.java.function.Function2;
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

    /** Confusion matrix and summed loss of fixed weights over every row of {@code rows}. */
    public static ConfusionSums confusion(CachedImages rows, NetworkShape shape, double[] params, String jobDescription) {
        Function2<Integer, Iterator<LabeledImage>, Iterator<ConfusionSums>> perPartition = (partition, it) -> {
            Backprop pass = new Backprop(shape);
            ConfusionSums sums = new ConfusionSums(shape.classes());
            while (it.hasNext()) {
                LabeledImage row = it.next();
                Pixels.scale(row.pixels(), pass.input());
                double[] probs = pass.forward(params);
                sums.add(row.label(), pass.predictedClass(), SoftmaxCrossEntropy.loss(probs, row.label()));
            }
            return List.of(sums).iterator();
        };
        return PartitionSums.sum(rows.all(), perPartition, ConfusionSums::merge, new ConfusionSums(shape.classes()),
                jobDescription);
    }

    /** Gradient sums over every row of {@code rows} (full batch), for checks and tests. */
    public static GradientSums fullGradient(CachedImages rows, NetworkShape shape, double[] params) {
        return PartitionSums.sum(rows.all(), new PartitionGradient(shape, params), GradientSums::merge,
                new GradientSums(shape.parameterCount()), "full gradient");
    }
}
