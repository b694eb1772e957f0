package minibatch.distributed;

import java.util.Iterator;
import java.util.List;
import minibatch.data.LabeledImage;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.SoftmaxCrossEntropy;
import org.apache.spark.api.java.function.Function2;

/** Runs on an executor: confusion matrix and summed loss of one partition under fixed weights. */
final class PartitionEvaluation implements Function2<Integer, Iterator<LabeledImage>, Iterator<ConfusionSums>> {
    private static final long serialVersionUID = 1L;

    private final NetworkShape shape;
    private final double[] params;

    PartitionEvaluation(NetworkShape shape, double[] params) {
        this.shape = shape;
        this.params = params;
    }

    @Override
    public Iterator<ConfusionSums> call(Integer partition, Iterator<LabeledImage> rows) {
        Backprop pass = new Backprop(shape);
        ConfusionSums sums = new ConfusionSums(shape.classes());
        while (rows.hasNext()) {
            LabeledImage row = rows.next();
            row.input(pass.input());
            double[] probs = pass.forward(params);
            sums.add(row.label(), pass.predictedClass(), SoftmaxCrossEntropy.loss(probs, row.label()));
        }
        return List.of(sums).iterator();
    }
}
