package minibatch.distributed.sums;

import java.util.Iterator;
import minibatch.data.LabeledImage;
import minibatch.distributed.TaskHook;
import minibatch.nn.Network;
import minibatch.nn.Pass;
import minibatch.nn.SoftmaxCrossEntropy;

/** Runs on an executor: confusion matrix and summed loss of one partition under fixed weights. */
public final class PartitionEvaluation implements PartitionFunction<LabeledImage, ConfusionSums> {
    private static final long serialVersionUID = 1L;

    private final Network shape;
    private final double[] params;
    private final String taskHook;

    /** @param taskHook the {@link TaskHook} class each task creates, or null for none */
    public PartitionEvaluation(Network shape, double[] params, String taskHook) {
        this.shape = shape;
        this.params = params;
        this.taskHook = taskHook;
    }

    @Override
    public ConfusionSums apply(int partition, Iterator<LabeledImage> rows) {
        TaskHook.forTask(taskHook).evaluation();
        Pass pass = shape.passForThread();
        ConfusionSums sums = new ConfusionSums(shape.classes());
        int[] labels = new int[pass.maxRows()];
        int classes = shape.classes();
        while (rows.hasNext()) {
            int n = RowChunks.next(rows, pass, shape.inputs(), labels);
            double[] probs = pass.forward(params, n);
            for (int r = 0; r < n; r++) {
                sums.add(labels[r], pass.predictedClass(r), SoftmaxCrossEntropy.lossAt(probs, r * classes, labels[r]));
            }
        }
        return sums;
    }
}
