package minibatch.nn.layers;

import java.util.SplittableRandom;

/**
 * One layer's forward and backward pass over a batch. Buffers are row-major
 * {@code [rows × size]} with the sizes of the layer's input and output {@link ImageShape}s; a
 * layer's parameters sit in the flat parameter array at {@code offset}: W, then b. An instance
 * keeps what its backward needs from the last forward (im2col columns, max positions, dropout
 * masks) in buffers made once for its largest batch: one instance per thread.
 */
public interface Layer {
    /**
     * Writes {@code out [rows × output size]} from {@code in [rows × input size]}.
     *
     * @param masks dropout's generator in a training pass; null in evaluation (dropout passes rows through)
     */
    void forward(double[] params, int offset, double[] in, double[] out, int rows, SplittableRandom masks);

    /**
     * After {@link #forward} of the same rows: <b>adds</b> the gradient of this layer's parameters,
     * summed over the rows, to {@code gradSum} at {@code offset}, and <b>writes</b> the gradient of
     * the loss with respect to the input into {@code dIn [rows × input size]} unless it is null (the
     * first layers: nobody needs the input's gradient).
     *
     * @param in   the forward's input {@code [rows × input size]}
     * @param out  the forward's output {@code [rows × output size]}
     * @param dOut the gradient with respect to {@code out}, {@code [rows × output size]}
     */
    void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, double[] dIn,
                  double[] gradSum, int rows);
}
