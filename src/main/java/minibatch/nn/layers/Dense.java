package minibatch.nn.layers;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * A fully connected layer {@code out = in · W + b}, reading each input row (any NHWC shape) as a
 * flat row of {@code inputs} values. Parameters: W {@code [inputs × units]} row-major, then b
 * {@code [units]}: the layout of {@code nn.NetworkShape}'s layers. Backward:
 * {@code dW += inᵀ · dOut}, {@code db += Σ dOut} (sums over the rows), {@code dIn = dOut · Wᵀ}.
 */
public final class Dense implements Layer {
    private final int inputs;
    private final int units;
    private final BLAS blas = BLAS.getInstance();

    public Dense(int inputs, int units) {
        this.inputs = inputs;
        this.units = units;
    }

    @Override
    public void forward(double[] params, int offset, double[] in, double[] out, int rows, SplittableRandom masks) {
        // out[rows × units] = in · W: column-major out^T = W^T · in^T
        blas.dgemm("N", "N", units, rows, inputs, 1.0, params, offset, units, in, 0, inputs, 0.0, out, 0, units);
        int b = offset + inputs * units;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            for (int j = 0; j < units; j++) {
                out[o + j] += params[b + j];
            }
        }
    }

    @Override
    public void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, double[] dIn,
                         double[] gradSum, int rows) {
        int b = offset + inputs * units;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            for (int j = 0; j < units; j++) {
                gradSum[b + j] += dOut[o + j];
            }
        }
        // dW[inputs × units] += in^T · dOut: column-major dW^T += dOut^T · in
        blas.dgemm("N", "T", units, inputs, rows, 1.0, dOut, 0, units, in, 0, inputs, 1.0, gradSum, offset, units);
        if (dIn != null) {
            // dIn[rows × inputs] = dOut · W^T: column-major dIn^T = W · dOut^T
            blas.dgemm("T", "N", inputs, rows, units, 1.0, params, offset, units, dOut, 0, units, 0.0, dIn, 0, inputs);
        }
    }
}
