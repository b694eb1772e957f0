package minibatch.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The network's one forward and backward pass, for training, evaluation and prediction: a batch of
 * rows, layer by layer, each affine layer with the kernel its shape calls for ({@link LayerKernel#of}):
 * a sparse input (MNIST pixels, small layers) over its non-zero inputs only ({@link SparseLayer}:
 * forward row by row, the weight gradient input by input over the batch's rows); a wide layer fed
 * by a hidden layer as three matrix products of the batch ({@code dgemm} of the BLAS Spark ships).
 * One instance per thread; not thread-safe.
 *
 * <p>Dropout masks are drawn row by row, layer by layer, unit by unit, and every gradient entry
 * receives its rows' contributions in row order: with {@link LayerKernel#SPARSE_ROWS} on every
 * layer this is bit for bit what the textbook pass of one row at a time computes row after row
 * (the row-by-row reference in the tests, {@code BatchBackpropTest}); a {@code dgemm} layer rounds
 * in the BLAS's own order, which is fixed for one BLAS on one machine.
 *
 * <p>Buffers are row-major {@code [rows × width]}; {@link #MAX_ROWS} rows at most per call
 * ({@link #oneRow}: one).
 */
public final class BatchBackprop implements Pass {
    /** Rows per call: batches are ~100 rows; larger inputs (a full-gradient pass) come in chunks of this many. */
    public static final int MAX_ROWS = 256;

    private final NetworkShape shape;
    private final LayerKernel[] kernels;
    /** Rows per call at most: {@link #MAX_ROWS}, or 1 for {@link #oneRow}. */
    private final int maxRows;
    private final BLAS blas;
    /** acts[l]: {@code [maxRows × size(l)]}, the input of affine layer l; acts[layers]: the softmax output (or logits). */
    private final double[][] acts;
    /** scale[l] ({@code [maxRows × size(l)]}, hidden l): 0 (dropped) or 1/(1-p) (kept), during a dropout pass. */
    private final double[][] scale;
    /** nonZero[l] ({@code [maxRows × size(l)]}) and nonZeroCount[l] ({@code [maxRows]}) for sparse layers. */
    private final int[][] nonZero;
    private final int[][] nonZeroCount;
    private final double[] delta;
    private final double[] deltaBelow;
    /** One row's non-zero inputs and their weight rows' offsets, for a sparse layer's forward product. */
    private final double[] rowValues;
    private final int[] rowOffsets;
    /** A sparse layer's non-zero inputs by column, for its weight gradient. */
    private final SparseColumns columns;

    /** {@link #forThread}'s passes: one per thread, for the last shape it asked for. */
    private static final ThreadLocal<BatchBackprop> PER_THREAD = new ThreadLocal<>();

    /**
     * This thread's pass for {@code shape} (kernels as {@link LayerKernel#of} picks them), made once
     * and then reused: its buffers take several MB, and a resident task computes a step every
     * millisecond or so. A call never depends on what an earlier call left in them.
     */
    public static BatchBackprop forThread(NetworkShape shape) {
        BatchBackprop pass = PER_THREAD.get();
        if (pass == null || !pass.shape.equals(shape)) {
            pass = new BatchBackprop(shape);
            PER_THREAD.set(pass);
        }
        return pass;
    }

    /** With the kernels {@link LayerKernel#of} picks for each layer. */
    public BatchBackprop(NetworkShape shape) {
        this(shape, LayerKernel.of(shape));
    }

    /** With the given kernel for each layer ({@code [layers]}). */
    public BatchBackprop(NetworkShape shape, LayerKernel[] kernels) {
        this(shape, kernels, MAX_ROWS);
    }

    /**
     * A pass of one row per call, with the kernels {@link LayerKernel#of} picks: for a caller that
     * gets its rows one at a time (Spark ML's {@code predictRaw}, the gradient check), at a
     * {@code 1/MAX_ROWS} of the buffers.
     */
    public static BatchBackprop oneRow(NetworkShape shape) {
        return new BatchBackprop(shape, LayerKernel.of(shape), 1);
    }

    private BatchBackprop(NetworkShape shape, LayerKernel[] kernels, int maxRows) {
        if (kernels.length != shape.layers()) {
            throw new IllegalArgumentException("one kernel per layer: " + shape.layers() + ", not " + kernels.length);
        }
        this.shape = shape;
        this.kernels = kernels.clone();
        this.maxRows = maxRows;
        this.blas = Arrays.asList(kernels).contains(LayerKernel.DENSE_GEMM) ? BLAS.getInstance() : null;
        int layers = shape.layers();
        this.acts = new double[layers + 1][];
        this.scale = new double[layers][];
        this.nonZero = new int[layers][];
        this.nonZeroCount = new int[layers][];
        acts[layers] = new double[maxRows * shape.classes()];
        int sparseInputs = 0;
        for (int l = 0; l < layers; l++) {
            acts[l] = new double[maxRows * shape.size(l)];
            if (l > 0) {
                scale[l] = new double[maxRows * shape.size(l)];
            }
            if (kernels[l] == LayerKernel.SPARSE_ROWS) {
                nonZero[l] = new int[maxRows * shape.size(l)];
                nonZeroCount[l] = new int[maxRows];
                sparseInputs = Math.max(sparseInputs, shape.size(l));
            }
        }
        this.delta = new double[maxRows * shape.maxWidth()];
        this.deltaBelow = new double[maxRows * shape.maxWidth()];
        this.rowValues = new double[sparseInputs];
        this.rowOffsets = new int[sparseInputs];
        this.columns = new SparseColumns(maxRows, sparseInputs);
    }

    /** Whether any layer is a matrix product of the batch, so that a BLAS runs. */
    public static boolean needed(NetworkShape shape) {
        return Arrays.asList(LayerKernel.of(shape)).contains(LayerKernel.DENSE_GEMM);
    }

    /** The BLAS implementation a {@code dgemm} layer runs on in this JVM, e.g. {@code JNIBLAS} (native) or {@code VectorBLAS}. */
    public static String blasName() {
        return BLAS.getInstance().getClass().getSimpleName();
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    /** The input buffer, {@code [maxRows × inputs]} ({@link #MAX_ROWS}, or 1 for {@link #oneRow}): row r at {@code r · inputs}. */
    @Override
    public double[] input() {
        return acts[0];
    }

    /**
     * Forward and backward pass of input rows {@code 0..rows)}: <b>adds</b> their gradients to
     * {@code gradSum} ({@code [parameterCount]}, a running sum) and returns {@code lossSum} plus
     * their losses (1e-7 guard), added row by row.
     *
     * @param labels  {@code [≥ rows]} class of each row
     * @param dropout probability of dropping a hidden unit (0: none); masks drawn from {@code rng}
     */
    @Override
    public double accumulate(double[] params, int[] labels, int rows, double[] gradSum, double lossSum,
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
        double[] probs = acts[layers];
        double[] d = delta;
        double[] below = deltaBelow;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            lossSum += SoftmaxCrossEntropy.lossAt(probs, o, labels[r]);
            SoftmaxCrossEntropy.outputGradient(probs, o, labels[r], d, classes);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            double[] in = acts[l];
            for (int r = 0; r < rows; r++) {
                int o = r * nOut;
                for (int j = 0; j < nOut; j++) {
                    gradSum[b + j] += d[o + j];
                }
            }
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // G[nIn × nOut] (row-major) += A^T · D: column-major G^T = D^T · A
                blas.dgemm("N", "T", nOut, nIn, rows, 1.0, d, 0, nOut, in, 0, nIn, 1.0, gradSum, w, nOut);
            } else {
                columns.build(in, nonZero[l], nonZeroCount[l], rows, nIn, nOut);
                for (int i = 0; i < nIn; i++) {
                    if (columns.start[i] < columns.start[i + 1]) {
                        SparseLayer.addProducts(columns.values, columns.rowOffsets, columns.start[i], columns.start[i + 1],
                                d, gradSum, w + i * nOut, nOut);
                    }
                }
            }
            if (l == 0) {
                break;
            }
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // D_below[rows × nIn] = D · W^T: column-major D_below^T = W · D^T
                blas.dgemm("T", "N", nIn, rows, nOut, 1.0, params, w, nOut, d, 0, nOut, 0.0, below, 0, nIn);
            }
            Activation act = shape.hidden();
            double[] s = scale[l];
            for (int r = 0; r < rows; r++) {
                int base = r * nIn;
                for (int i = 0; i < nIn; i++) {
                    double a = in[base + i];
                    // with dropout, a = h·scale: the activation's own output is h = a / scale
                    double slope = !dropping ? act.derivativeFromOutput(a)
                            : s[base + i] == 0.0 ? 0.0 : act.derivativeFromOutput(a / s[base + i]) * s[base + i];
                    if (slope == 0.0) {
                        below[base + i] = 0.0;
                    } else if (kernels[l] == LayerKernel.DENSE_GEMM) {
                        below[base + i] *= slope;
                    } else {
                        int row = w + i * nOut;
                        int o = r * nOut;
                        double sum = 0.0;
                        for (int j = 0; j < nOut; j++) {
                            sum += params[row + j] * d[o + j];
                        }
                        below[base + i] = sum * slope;
                    }
                }
            }
            double[] t = d;
            d = below;
            below = t;
        }
        return lossSum;
    }

    @Override
    public double[] forward(double[] params, int rows) {
        checkRows(rows);
        forward(params, rows, false, true);
        return acts[shape.layers()];
    }

    /**
     * The output layer's pre-softmax scores (logits) of input rows {@code 0..rows)}, no dropout:
     * {@code [rows × classes]}, a view valid until the next call. {@link SoftmaxCrossEntropy#softmax}
     * of row r is row r of {@link #forward(double[], int)}, bit for bit.
     */
    @Override
    public double[] logits(double[] params, int rows) {
        checkRows(rows);
        forward(params, rows, false, false);
        return acts[shape.layers()];
    }

    private void checkRows(int rows) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in 0.." + maxRows + ": " + rows);
        }
    }

    /** The first most probable class of row {@code r} of {@link #forward(double[], int)}'s output (the lowest index on ties). */
    @Override
    public int predictedClass(int r) {
        return SoftmaxCrossEntropy.mostProbable(acts[shape.layers()], r * shape.classes(), shape.classes());
    }

    /** Softmax on the output layer when {@code softmax}, else its logits are left. */
    private void forward(double[] params, int rows, boolean dropping, boolean softmax) {
        int layers = shape.layers();
        for (int l = 0; l < layers; l++) {
            double[] in = acts[l];
            double[] out = acts[l + 1];
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            if (kernels[l] == LayerKernel.DENSE_GEMM) {
                // Z[rows × nOut] = A · W: column-major Z^T = W^T · A^T
                blas.dgemm("N", "N", nOut, rows, nIn, 1.0, params, w, nOut, in, 0, nIn, 0.0, out, 0, nOut);
            } else {
                for (int r = 0; r < rows; r++) {
                    nonZeroCount[l][r] = SparseLayer.forwardRow(in, r * nIn, nIn, nonZero[l], r * nIn, params, w, out,
                            r * nOut, nOut, rowValues, rowOffsets);
                }
            }
            for (int r = 0; r < rows; r++) {
                int o = r * nOut;
                for (int j = 0; j < nOut; j++) {
                    out[o + j] += params[b + j];
                }
                if (l < layers - 1) {
                    shape.hidden().apply(out, o, nOut);
                    if (dropping) {
                        double[] s = scale[l + 1];
                        for (int j = o, end = o + nOut; j < end; j++) {
                            out[j] *= s[j];
                        }
                    }
                } else if (softmax) {
                    SoftmaxCrossEntropy.softmax(out, o, nOut);
                }
            }
        }
    }
}
