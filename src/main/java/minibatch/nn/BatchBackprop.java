package minibatch.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Forward and backward pass of a whole mini-batch, layer by layer, each affine layer with the
 * kernel its shape calls for ({@link LayerKernel#of}): a sparse input (MNIST pixels, small layers)
 * over its non-zero inputs only ({@link SparseLayer}: forward row by row, the weight gradient input
 * by input over the batch's rows); a wide layer fed by a hidden layer as three matrix products of
 * the batch ({@code dgemm} of the BLAS Spark ships).
 * One instance per thread; not thread-safe.
 *
 * <p>Dropout masks are drawn row by row, layer by layer, unit by unit, in the order
 * {@link Backprop} draws them, and every gradient entry receives its rows' contributions in row
 * order. So with {@link LayerKernel#SPARSE_ROWS} on every layer this class computes bit for bit
 * what {@link Backprop#accumulate} row after row computes ({@code BatchBackpropTest}); a
 * {@code dgemm} layer rounds in the BLAS's own order, which is fixed for one BLAS on one machine.
 *
 * <p>Buffers are row-major {@code [rows × width]}; {@link #MAX_ROWS} rows at most per call.
 */
public final class BatchBackprop {
    /** Rows per call: batches are ~100 rows; larger inputs (a full-gradient pass) come in chunks of this many. */
    public static final int MAX_ROWS = 256;

    private final NetworkShape shape;
    private final LayerKernel[] kernels;
    private final BLAS blas;
    /** acts[l]: {@code [MAX_ROWS × size(l)]}, the input of affine layer l; acts[layers]: the softmax output. */
    private final double[][] acts;
    /** scale[l] ({@code [MAX_ROWS × size(l)]}, hidden l): 0 (dropped) or 1/(1-p) (kept), during a dropout pass. */
    private final double[][] scale;
    /** nonZero[l] ({@code [MAX_ROWS × size(l)]}) and nonZeroCount[l] ({@code [MAX_ROWS]}) for sparse layers. */
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
        if (kernels.length != shape.layers()) {
            throw new IllegalArgumentException("one kernel per layer: " + shape.layers() + ", not " + kernels.length);
        }
        this.shape = shape;
        this.kernels = kernels.clone();
        this.blas = Arrays.asList(kernels).contains(LayerKernel.DENSE_GEMM) ? BLAS.getInstance() : null;
        int layers = shape.layers();
        this.acts = new double[layers + 1][];
        this.scale = new double[layers][];
        this.nonZero = new int[layers][];
        this.nonZeroCount = new int[layers][];
        for (int l = 0; l <= layers; l++) {
            acts[l] = new double[MAX_ROWS * shape.size(l)];
        }
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                scale[l] = new double[MAX_ROWS * shape.size(l)];
            }
            if (kernels[l] == LayerKernel.SPARSE_ROWS) {
                nonZero[l] = new int[MAX_ROWS * shape.size(l)];
                nonZeroCount[l] = new int[MAX_ROWS];
            }
        }
        this.delta = new double[MAX_ROWS * shape.maxWidth()];
        this.deltaBelow = new double[MAX_ROWS * shape.maxWidth()];
        int sparseInputs = 0;
        for (int l = 0; l < layers; l++) {
            if (kernels[l] == LayerKernel.SPARSE_ROWS) {
                sparseInputs = Math.max(sparseInputs, shape.size(l));
            }
        }
        this.rowValues = new double[sparseInputs];
        this.rowOffsets = new int[sparseInputs];
        this.columns = new SparseColumns(MAX_ROWS, sparseInputs);
    }

    /** Whether any layer is a matrix product of the batch, so that a BLAS runs. */
    public static boolean needed(NetworkShape shape) {
        return Arrays.asList(LayerKernel.of(shape)).contains(LayerKernel.DENSE_GEMM);
    }

    /** The BLAS implementation a {@code dgemm} layer runs on in this JVM, e.g. {@code JNIBLAS} (native) or {@code VectorBLAS}. */
    public static String blasName() {
        return BLAS.getInstance().getClass().getSimpleName();
    }

    /** The input buffer, {@code [MAX_ROWS × inputs]}: row r at {@code r · inputs}. */
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
    public double accumulate(double[] params, int[] labels, int rows, double[] gradSum, double lossSum,
                             double dropout, SplittableRandom rng) {
        if (rows < 0 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be in 0.." + MAX_ROWS + ": " + rows);
        }
        if (rows == 0) {
            return lossSum;
        }
        boolean dropping = dropout > 0.0;
        if (dropping) {
            drawMasks(rows, dropout, rng);
        }
        forward(params, rows, dropping);
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

    /**
     * Class probabilities of input rows {@code 0..rows)}, no dropout: {@code [rows × classes]}, row r
     * at {@code r · classes}; a view into this object's buffers, valid until the next call.
     */
    public double[] forward(double[] params, int rows) {
        if (rows < 0 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be in 0.." + MAX_ROWS + ": " + rows);
        }
        forward(params, rows, false);
        return acts[shape.layers()];
    }

    /** The first most probable class of row {@code r} of {@link #forward(double[], int)}'s output, as {@link Backprop#predictedClass()}. */
    public int predictedClass(int r) {
        double[] probs = acts[shape.layers()];
        int classes = shape.classes();
        int o = r * classes;
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (probs[o + k] > probs[o + best]) {
                best = k;
            }
        }
        return best;
    }

    /** Row by row, hidden layer by hidden layer, unit by unit: {@link Backprop}'s order of draws. */
    private void drawMasks(int rows, double dropout, SplittableRandom rng) {
        double keep = 1.0 / (1.0 - dropout);
        for (int r = 0; r < rows; r++) {
            for (int l = 1; l < shape.layers(); l++) {
                int n = shape.size(l);
                double[] s = scale[l];
                for (int j = r * n, end = j + n; j < end; j++) {
                    s[j] = rng.nextDouble() < dropout ? 0.0 : keep;
                }
            }
        }
    }

    private void forward(double[] params, int rows, boolean dropping) {
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
                } else {
                    SoftmaxCrossEntropy.softmax(out, o, nOut);
                }
            }
        }
    }
}
