package minibatch.nn.layers;

import java.util.SplittableRandom;
import minibatch.nn.Activation;

/**
 * An element-wise {@link Activation} (sigmoid, relu, tanh, step) as a layer of its own, so that it
 * may follow a convolution, a max-pool or a dense layer. Its backward multiplies by the
 * derivative, computed from the forward's output.
 */
public final class ActivationLayer implements Layer {
    private final Activation activation;
    private final int size;

    /** For rows of {@code size} values. */
    public ActivationLayer(Activation activation, int size) {
        this.activation = activation;
        this.size = size;
    }

    @Override
    public void forward(double[] params, int offset, double[] in, double[] out, int rows, SplittableRandom masks) {
        if (activation == Activation.RELU) {
            ReluKernel.forward(in, out, rows * size);
            return;
        }
        System.arraycopy(in, 0, out, 0, rows * size);
        activation.apply(out, 0, rows * size);
    }

    @Override
    public void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, double[] dIn,
                         double[] gradSum, int rows) {
        if (dIn == null) {
            return;
        }
        if (activation == Activation.RELU) {
            ReluKernel.backward(out, dOut, dIn, rows * size);
            return;
        }
        for (int i = 0, end = rows * size; i < end; i++) {
            dIn[i] = dOut[i] * activation.derivativeFromOutput(out[i]);
        }
    }
}
