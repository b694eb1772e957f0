package minibatch.distributed;

import java.util.Iterator;
import java.util.List;
import minibatch.data.LabeledImage;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Runs on an executor: turns the sampled rows of one partition into one {@link GradientSums}.
 * The weights travel inside this function (the task closure), about 320 KB for 784-50-10.
 */
final class PartitionGradient implements FlatMapFunction<Iterator<LabeledImage>, GradientSums> {
    private static final long serialVersionUID = 1L;

    private final NetworkShape shape;
    private final double[] params;

    PartitionGradient(NetworkShape shape, double[] params) {
        this.shape = shape;
        this.params = params;
    }

    @Override
    public Iterator<GradientSums> call(Iterator<LabeledImage> rows) {
        Backprop pass = new Backprop(shape);
        GradientSums sums = new GradientSums(shape.parameterCount());
        while (rows.hasNext()) {
            LabeledImage row = rows.next();
            Pixels.scale(row.pixels(), pass.input());
            sums.add(pass, params, row.label());
        }
        return List.of(sums).iterator();
    }
}
