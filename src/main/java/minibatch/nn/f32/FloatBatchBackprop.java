package minibatch.nn.f32;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.DropoutMasks;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;

/**
 * {@link BatchBackprop}'s forward and backward pass in float32, for mixed precision: the driver
 * keeps float64 weights, an executor computes with their float32 copy
 * ({@link MixedPrecision#toFloat}) and returns float32 sums, which the driver adds into float64
 * ({@link MixedPrecision#addInto}) before it divides by N. Same parameter layout
 * ({@link NetworkShape}), same kernels per layer ({@link LayerKernel#of}: a sparse layer over its
 * non-zero inputs, {@link FloatSparseLayer}; a wide layer fed by a hidden layer as three
 * {@code sgemm} products), same order of work, and the same dropout masks from the same seed
 * ({@link DropoutMasks}). One instance per thread; not thread-safe.
 *
 * <p>Buffers are row-major {@code [rows × width]}; {@link #MAX_ROWS} rows at most per call
 * ({@link #oneRow}: one).
 */
public final class FloatBatchBackprop {
    /** Rows per call, as {@link BatchBackprop#MAX_ROWS}. */
    public static final int MAX_ROWS = BatchBackprop.MAX_ROWS;

    private final NetworkShape shape;
    private final LayerKernel[] kernels;
    private final int maxRows;
    private final BLAS blas;
    /** acts[l]: {@code [maxRows × size(l)]}, the input of affine layer l; acts[layers]: the softmax output (or logits). */
    private final float[][] acts;
    /** scale[l] ({@code [maxRows × size(l)]}, hidden l): 0 (dropped) or 1/(1-p) (kept), during a dropout pass. */
    private final float[][] scale;
    /** nonZero[l] ({@code [maxRows × size(l)]}) and nonZeroCount[l] ({@code [maxRows]}) for sparse layers. */
    private final int[][] nonZero;
    private final int[][] nonZeroCount;
    private final float[] delta;
    private final float[] deltaBelow;
    /** One row's non-zero inputs and their weight rows' offsets, for a sparse layer's forward product. */
    private final float[] rowValues;
    private final int[] rowOffsets;
    /** A sparse layer's non-zero inputs by column, for its weight gradient. */
    private final FloatSparseColumns columns;

    /** {@link #forThread}'s passes: one per thread, for the last shape it asked for. */
    private static final ThreadLocal<FloatBatchBackprop> PER_THREAD = new ThreadLocal<>();

    /**
     * This thread's pass for {@code shape} (kernels as {@link LayerKernel#of} picks them), made once
     * and then reused, as {@link BatchBackprop#forThread}. A call never depends on what an earlier
     * call left in the buffers.
     */
    public static FloatBatchBackprop forThread(NetworkShape shape) {
        FloatBatchBackprop pass = PER_THREAD.get();
        if (pass == null || !pass.shape.equals(shape)) {
            pass = new FloatBatchBackprop(shape);
            PER_THREAD.set(pass);
        }
        return pass;
    }

    /** With the kernels {@link LayerKernel#of} picks for each layer. */
    public FloatBatchBackprop(NetworkShape shape) {
        this(shape, LayerKernel.of(shape));
    }

    /** With the given kernel for each layer ({@code [layers]}). */
    public FloatBatchBackprop(NetworkShape shape, LayerKernel[] kernels) {
        this(shape, kernels, MAX_ROWS);
    }

    /** A pass of one row per call, with the kernels {@link LayerKernel#of} picks (the gradient check's). */
    public static FloatBatchBackprop oneRow(NetworkShape shape) {
        return new FloatBatchBackprop(shape, LayerKernel.of(shape), 1);
    }

    private FloatBatchBackprop(NetworkShape shape, LayerKernel[] kernels, int maxRows) {
        if (kernels.length != shape.layers()) {
            throw new IllegalArgumentException("one kernel per layer: " + shape.layers() + ", not " + kernels.length);
        }
        this.shape = shape;
        this.kernels = kernels.clone();
        this.maxRows = maxRows;
        this.blas = Arrays.asList(kernels).contains(LayerKernel.DENSE_GEMM) ? BLAS.getInstance() : null;
        int layers = shape.layers();
        this.acts = new float[layers + 1][];
        this.scale = new float[layers][];
        this.nonZero = new int[layers][];
        this.nonZeroCount = new int[layers][];
        acts[layers] = new float[maxRows * shape.classes()];
        int sparseInputs = 0;
        for (int l = 0; l < layers; l++) {
            acts[l] = new float[maxRows * shape.size(l)];
            if (l > 0) {
                scale[l] = new float[maxRows * shape.size(l)];
            }
            if (kernels[l] == LayerKernel.SPARSE_ROWS) {
                nonZero[l] = new int[maxRows * shape.size(l)];
                nonZeroCount[l] = new int[maxRows];
                sparseInputs = Math.max(sparseInputs, shape.size(l));
            }
        }
        this.delta = new float[maxRows * shape.maxWidth()];
        this.deltaBelow = new float[maxRows * shape.maxWidth()];
        this.rowValues = new float[sparseInputs];
        this.rowOffsets = new int[sparseInputs];
        this.columns = new FloatSparseColumns(maxRows, sparseInputs);
    }

    /** The input buffer, {@code [maxRows × inputs]} ({@link #MAX_ROWS}, or 1 for {@link #oneRow}): row r at {@code r · inputs}. */
    public float[] input() {
        return acts[0];
    }

    /**
     * Forward and backward pass of input rows {@code 0..rows)} in float32: <b>adds</b> their
     * gradients to {@code gradSum} ({@code [parameterCount]}, a running float32 sum, not a mean) and
     * returns {@code lossSum} plus their losses (1e-7 guard), added row by row in double.
     *
     * @param params  {@code [parameterCount]} the float32 weights ({@link MixedPrecision#toFloat})
     * @param labels  {@code [≥ rows]} class of each row
     * @param dropout probability of dropping a hidden unit (0: none); masks drawn from {@code rng}
     *                as the float64 pass draws them
     */
    public double accumulate(float[] params, int[] labels, int rows, float[] gradSum, double lossSum,
                             double dropout, SplittableRandom rng) {
        checkRows(rows);
        if (rows == 0) {
            return lossSum;
        }
        boolean dropping = dropout > 0.0;
        if (dropping) {
            DropoutMasks.draw(shape, scale, rows, dropout, rng);
        }
        forward(params, rows, dropping, true);
        int layers = shape.layers();
        int classes = shape.classes();
        float[] probs = acts[layers];
        float[] d = delta;
        float[] below = deltaBelow;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            lossSum += FloatSoftmaxCrossEntropy.lossAt(probs, o, labels[r]);
            FloatSoftmaxCrossEntropy.outputGradient(probs, o, labels[r], d, classes);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            float[] in = acts[l];
            for (int r = 0; r < rows; r++) {
                int o = r * nOut;
                for (int j = 0; j < nOut; j++) {
                    gradSum[b + j] += d[o + j];
                }
            }
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // G[nIn × nOut] (row-major) += A^T · D: column-major G^T = D^T · A
                blas.sgemm("N", "T", nOut, nIn, rows, 1f, d, 0, nOut, in, 0, nIn, 1f, gradSum, w, nOut);
            } else {
                columns.build(in, nonZero[l], nonZeroCount[l], rows, nIn, nOut);
                for (int i = 0; i < nIn; i++) {
                    if (columns.start[i] < columns.start[i + 1]) {
                        FloatSparseLayer.addProducts(columns.values, columns.rowOffsets, columns.start[i],
                                columns.start[i + 1], d, gradSum, w + i * nOut, nOut);
                    }
                }
            }
            if (l == 0) {
                break;
            }
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // D_below[rows × nIn] = D · W^T: column-major D_below^T = W · D^T
                blas.sgemm("T", "N", nIn, rows, nOut, 1f, params, w, nOut, d, 0, nOut, 0f, below, 0, nIn);
            }
            backThroughActivation(params, l, rows, dropping, d, below);
            float[] t = d;
            d = below;
            below = t;
        }
        return lossSum;
    }

    /**
     * {@code below[rows × size(l)]} = dLoss/d(pre-activation) of hidden layer l from {@code d}, the
     * gradient of layer l's outputs: for a {@code sgemm} layer {@code below} already holds
     * {@code D · W^T} and is multiplied by the slopes; for a sparse layer the product is taken here,
     * only where the slope is not 0.
     */
    private void backThroughActivation(float[] params, int l, int rows, boolean dropping, float[] d, float[] below) {
        int nIn = shape.size(l);
        int nOut = shape.size(l + 1);
        int w = shape.weightOffset(l);
        boolean gemm = kernels[l] == LayerKernel.DENSE_GEMM;
        Activation act = shape.hidden();
        float[] in = acts[l];
        float[] s = scale[l];
        for (int r = 0; r < rows; r++) {
            int base = r * nIn;
            int o = r * nOut;
            for (int i = 0; i < nIn; i++) {
                float a = in[base + i];
                // with dropout, a = h·scale: the activation's own output is h = a / scale
                float slope = !dropping ? FloatActivations.derivativeFromOutput(act, a)
                        : s[base + i] == 0f ? 0f : FloatActivations.derivativeFromOutput(act, a / s[base + i]) * s[base + i];
                if (slope == 0f) {
                    below[base + i] = 0f;
                } else if (gemm) {
                    below[base + i] *= slope;
                } else {
                    int row = w + i * nOut;
                    float sum = 0f;
                    for (int j = 0; j < nOut; j++) {
                        sum += params[row + j] * d[o + j];
                    }
                    below[base + i] = sum * slope;
                }
            }
        }
    }

    /**
     * Class probabilities of input rows {@code 0..rows)}, no dropout: {@code [rows × classes]}, row r
     * at {@code r · classes}; a view into this object's buffers, valid until the next call.
     */
    public float[] forward(float[] params, int rows) {
        checkRows(rows);
        forward(params, rows, false, true);
        return acts[shape.layers()];
    }

    /**
     * The output layer's pre-softmax scores (logits) of input rows {@code 0..rows)}, no dropout:
     * {@code [rows × classes]}, a view valid until the next call.
     */
    public float[] logits(float[] params, int rows) {
        checkRows(rows);
        forward(params, rows, false, false);
        return acts[shape.layers()];
    }

    private void checkRows(int rows) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in 0.." + maxRows + ": " + rows);
        }
    }

    /** Softmax on the output layer when {@code softmax}, else its logits are left. */
    private void forward(float[] params, int rows, boolean dropping, boolean softmax) {
        int layers = shape.layers();
        for (int l = 0; l < layers; l++) {
            float[] in = acts[l];
            float[] out = acts[l + 1];
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // Z[rows × nOut] = A · W: column-major Z^T = W^T · A^T
                blas.sgemm("N", "N", nOut, rows, nIn, 1f, params, w, nOut, in, 0, nIn, 0f, out, 0, nOut);
            } else {
                for (int r = 0; r < rows; r++) {
                    nonZeroCount[l][r] = FloatSparseLayer.forwardRow(in, r * nIn, nIn, nonZero[l], r * nIn, params, w,
                            out, r * nOut, nOut, rowValues, rowOffsets);
                }
            }
            for (int r = 0; r < rows; r++) {
                int o = r * nOut;
                for (int j = 0; j < nOut; j++) {
                    out[o + j] += params[b + j];
                }
                if (l < layers - 1) {
                    FloatActivations.apply(shape.hidden(), out, o, nOut);
                    if (dropping) {
                        float[] s = scale[l + 1];
                        for (int j = o, end = o + nOut; j < end; j++) {
                            out[j] *= s[j];
                        }
                    }
                } else if (softmax) {
                    FloatSoftmaxCrossEntropy.softmax(out, o, nOut);
                }
            }
        }
    }
}
