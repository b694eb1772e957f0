package minibatch.nn.layers;

import minibatch.nn.VectorApi;

/**
 * ReLU over a whole buffer, forward and backward: after a convolution it runs over every value of
 * every feature map (460,800 per 50 rows of the textbook CNN's first layer), where the plain
 * loop's unpredictable branch cost as much as a third of the convolution. Where
 * {@link VectorApi#AVAILABLE}, {@link SimdReluKernel} compares and selects in SIMD registers;
 * both give the same bits, NaN and signed zeros included.
 */
final class ReluKernel {
    private ReluKernel() {
    }

    /** {@code out[i] = in[i] > 0 ? in[i] : 0} for {@code i < n}. */
    static void forward(double[] in, double[] out, int n) {
        if (VectorApi.AVAILABLE) {
            SimdReluKernel.forward(in, out, n);
        } else {
            forwardScalar(in, out, n);
        }
    }

    /** {@code dIn[i] = dOut[i] · (out[i] > 0 ? 1 : 0)} for {@code i < n}: a product, as the other activations' backward. */
    static void backward(double[] out, double[] dOut, double[] dIn, int n) {
        if (VectorApi.AVAILABLE) {
            SimdReluKernel.backward(out, dOut, dIn, n);
        } else {
            backwardScalar(out, dOut, dIn, 0, n);
        }
    }

    static void forwardScalar(double[] in, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = in[i] > 0.0 ? in[i] : 0.0;
        }
    }

    static void backwardScalar(double[] out, double[] dOut, double[] dIn, int from, int n) {
        for (int i = from; i < n; i++) {
            dIn[i] = dOut[i] * (out[i] > 0.0 ? 1.0 : 0.0);
        }
    }
}
