package minibatch.nn.layers;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A K×K convolution with C_out filters, stride S and zero padding P, channels last, as im2col and
 * one matrix product: {@code out [rows·OH·OW × C_out] = col [rows·OH·OW × K·K·C_in] · W + b}, which
 * is already NHWC. Parameters: W {@code [K·K·C_in × C_out]} row-major (rows ordered
 * {@code (ky, kx, c_in)}), then b {@code [C_out]}. Backward: {@code dW += colᵀ · dOut},
 * {@code db += Σ dOut} (sums over rows and positions), {@code dCol = dOut · Wᵀ}, then col2im adds
 * {@code dCol} into {@code dIn}.
 */
public final class Conv2d implements Layer {
    private final Im2col unroll;
    private final int filters;
    private final int inSize;
    private final BLAS blas = BLAS.getInstance();
    /**
     * {@code [maxRows·OH·OW × K·K·C_in]}: the forward's columns, which the weight gradient reads;
     * then the backward's {@code dCol}, once they are no longer needed.
     */
    private final double[] col;
    /**
     * W transposed, {@code [C_out × K·K·C_in]} row-major, made in each backward: {@code dCol = dOut · Wᵀ}
     * reads it as a plain (untransposed) operand, which the BLAS multiplies about 1.6 times as fast.
     */
    private final double[] weightsT;

    /** A layer for rows of shape {@code in}, batches of at most {@code maxRows} rows. */
    public Conv2d(ImageShape in, int kernel, int filters, int stride, int padding, int maxRows) {
        this.unroll = new Im2col(in, kernel, stride, padding);
        this.filters = filters;
        this.inSize = in.size();
        long cells = (long) maxRows * unroll.positions() * unroll.columns();
        long outs = (long) maxRows * unroll.positions() * filters;
        if (Math.max(cells, outs) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv" + kernel + "x" + kernel + "x" + filters + " on " + in + ": "
                    + maxRows + " rows need more than 2^31 columns");
        }
        this.col = new double[(int) cells];
        this.weightsT = new double[unroll.columns() * filters];
    }

    /** The output shape: {@code OH × OW × C_out}, with {@code OH = (H + 2P - K) / S + 1} (floor). */
    public ImageShape outputShape() {
        return unroll.outputShape(filters);
    }

    @Override
    public void forward(double[] params, int offset, double[] in, double[] out, int rows, SplittableRandom masks) {
        int m = rows * unroll.positions();
        int k = unroll.columns();
        unroll.im2col(in, rows, col);
        // out[m × F] = col · W (row-major): column-major out^T = W^T · col^T
        blas.dgemm("N", "N", filters, m, k, 1.0, params, offset, filters, col, 0, k, 0.0, out, 0, filters);
        int b = offset + k * filters;
        for (int i = 0; i < m; i++) {
            int o = i * filters;
            for (int j = 0; j < filters; j++) {
                out[o + j] += params[b + j];
            }
        }
    }

    @Override
    public void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, double[] dIn,
                         double[] gradSum, int rows) {
        int m = rows * unroll.positions();
        int k = unroll.columns();
        int b = offset + k * filters;
        for (int i = 0; i < m; i++) {
            int o = i * filters;
            for (int j = 0; j < filters; j++) {
                gradSum[b + j] += dOut[o + j];
            }
        }
        // dW[k × F] += col^T · dOut: column-major dW^T += dOut^T · col
        blas.dgemm("N", "T", filters, k, m, 1.0, dOut, 0, filters, col, 0, k, 1.0, gradSum, offset, filters);
        if (dIn == null) {
            return;
        }
        // dCol[m × k] = dOut · W^T: column-major dCol^T [k × m] = Wᵀ's column-major [k × F] · dOut^T; col is free now
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < filters; j++) {
                weightsT[j * k + i] = params[offset + i * filters + j];
            }
        }
        blas.dgemm("N", "N", k, m, filters, 1.0, weightsT, 0, k, dOut, 0, filters, 0.0, col, 0, k);
        Arrays.fill(dIn, 0, rows * inSize, 0.0);
        unroll.col2im(col, rows, dIn);
    }
}
