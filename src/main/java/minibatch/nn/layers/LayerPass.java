package minibatch.nn.layers;

import java.util.List;
import java.util.SplittableRandom;
import minibatch.nn.Pass;
import minibatch.nn.SoftmaxCrossEntropy;

/**
 * A {@link LayerNetwork}'s forward and backward pass over a batch of rows, for training,
 * evaluation and prediction, with the contract of {@code nn.BatchBackprop}: fill {@link #input()},
 * then {@link #accumulate} adds the rows' gradient <b>sums</b> (never means: the driver divides
 * once by N) and returns the loss sum; {@link #forward} gives probabilities, {@link #logits} the
 * output layer's scores. Softmax and the loss are {@link SoftmaxCrossEntropy}'s: the 1e-7-guarded
 * loss, the output gradient {@code y - onehot(t)}.
 *
 * <p>Dropout is a layer of the spec ({@code dropout0.5}), so {@link #accumulate} takes the masks'
 * generator and no dropout probability. Buffers are row-major {@code [rows × size]}, made once for
 * {@code maxRows} rows and reused; one instance per thread, not thread-safe. The same parameters,
 * rows and seed give the same bits: every sum runs in a fixed order.
 */
public final class LayerPass implements Pass {
    /**
     * Rows per call unless the constructor says otherwise. A convolution's columns take
     * {@code rows · OH · OW · K·K·C_in} values: 64 rows of the 28×28 textbook CNN are ~40 MB of buffers.
     */
    public static final int MAX_ROWS = 64;
    /**
     * The buffers one pass may take, in values (64 MB of doubles): a network whose rows need more
     * than {@code BUFFER_VALUES / MAX_ROWS} runs fewer rows per call ({@link #rowsFor}), down to one.
     */
    public static final long BUFFER_VALUES = 8L << 20;

    /** {@link #forThread}'s passes: one per thread, for the last network it asked for. */
    private static final ThreadLocal<LayerPass> PER_THREAD = new ThreadLocal<>();

    private final LayerNetwork network;
    private final int maxRows;
    private final Layer[] layers;
    private final int[] offsets;
    /** acts[i]: the input of layer i, {@code [maxRows × size]}; acts[layers]: the logits, then the probabilities. */
    private final double[][] acts;
    /** Gradients with respect to one layer's output and its input, swapped layer by layer: {@code [maxRows × maxWidth]}. */
    private double[] dOut;
    private double[] dIn;
    /** The first layer with parameters: below it no gradient is needed. */
    private final int firstWithParameters;

    /** A pass of at most {@link #rowsFor network} rows per call. */
    public LayerPass(LayerNetwork network) {
        this(network, rowsFor(network));
    }

    /**
     * Rows per call for {@code network}: {@link #MAX_ROWS}, or fewer when that many rows' buffers
     * would exceed {@link #BUFFER_VALUES} (a wide convolution on large images); at least one. The
     * chunking changes only how rows are grouped, and the same network always gets the same number.
     */
    public static int rowsFor(LayerNetwork network) {
        return (int) Math.max(1, Math.min(MAX_ROWS, BUFFER_VALUES / Math.max(1, network.bufferValuesPerRow())));
    }

    /** A pass of at most {@code maxRows} rows per call. */
    public LayerPass(LayerNetwork network, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
        }
        if ((long) maxRows * network.maxWidth() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(network + ": " + maxRows + " rows do not fit one buffer");
        }
        this.network = network;
        this.maxRows = maxRows;
        List<LayerNetwork.PlacedLayer> placed = network.layers();
        this.layers = new Layer[placed.size()];
        this.offsets = new int[placed.size()];
        this.acts = new double[placed.size() + 1][];
        acts[0] = new double[maxRows * network.input().size()];
        int first = -1;
        for (int i = 0; i < placed.size(); i++) {
            LayerNetwork.PlacedLayer l = placed.get(i);
            layers[i] = l.token().create(l.input(), maxRows);
            offsets[i] = l.weightOffset();
            acts[i + 1] = new double[maxRows * l.output().size()];
            if (first < 0 && l.hasParameters()) {
                first = i;
            }
        }
        this.firstWithParameters = first;
        this.dOut = new double[maxRows * network.maxWidth()];
        this.dIn = new double[maxRows * network.maxWidth()];
    }

    /**
     * This thread's pass for {@code network}, made once and then reused: a resident task computes a
     * step every few milliseconds, and a convolution's buffers take tens of MB. A call never depends
     * on what an earlier call left in them.
     */
    public static LayerPass forThread(LayerNetwork network) {
        LayerPass pass = PER_THREAD.get();
        if (pass == null || !pass.network.equals(network)) {
            pass = new LayerPass(network);
            PER_THREAD.set(pass);
        }
        return pass;
    }

    public LayerNetwork network() {
        return network;
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    /** The input buffer, {@code [maxRows × H·W·C]} (NHWC rows): row r at {@code r · H·W·C}. */
    @Override
    public double[] input() {
        return acts[0];
    }

    /**
     * Forward and backward pass of input rows {@code 0..rows)}: <b>adds</b> the gradient of their
     * summed loss to {@code gradSum} ({@code [parameterCount]}, a running sum) and returns
     * {@code lossSum} plus their losses (1e-7 guard), added row by row.
     *
     * @param labels {@code [≥ rows]} class of each row
     * @param masks  the generator dropout layers draw their masks from, layer by layer, row by row;
     *               null: dropout layers pass rows through (as in evaluation)
     */
    public double accumulate(double[] params, int[] labels, int rows, double[] gradSum, double lossSum,
                             SplittableRandom masks) {
        checkRows(rows);
        if (rows == 0) {
            return lossSum;
        }
        run(params, rows, masks, true);
        int classes = network.classes();
        double[] probs = acts[layers.length];
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            lossSum += SoftmaxCrossEntropy.lossAt(probs, o, labels[r]);
            SoftmaxCrossEntropy.outputGradient(probs, o, labels[r], dOut, classes);
        }
        for (int i = layers.length - 1; i >= firstWithParameters; i--) {
            double[] below = i == firstWithParameters ? null : dIn;
            layers[i].backward(params, offsets[i], acts[i], acts[i + 1], dOut, below, gradSum, rows);
            double[] t = dOut;
            dOut = dIn;
            dIn = t;
        }
        return lossSum;
    }

    /**
     * Class probabilities of input rows {@code 0..rows)}, no dropout: {@code [rows × classes]}, row r
     * at {@code r · classes}; a view into this pass's buffers, valid until the next call.
     */
    @Override
    public double[] forward(double[] params, int rows) {
        checkRows(rows);
        run(params, rows, null, true);
        return acts[layers.length];
    }

    /**
     * The output layer's scores before softmax of input rows {@code 0..rows)}, no dropout:
     * {@code [rows × classes]}, a view valid until the next call.
     */
    @Override
    public double[] logits(double[] params, int rows) {
        checkRows(rows);
        run(params, rows, null, false);
        return acts[layers.length];
    }

    /**
     * {@link Pass}'s form: dropout is a layer of the spec here, so {@code dropout} must be 0 and
     * {@code rng} is the dropout layers' generator (null: they pass rows through).
     */
    @Override
    public double accumulate(double[] params, int[] labels, int rows, double[] gradSum, double lossSum, double dropout,
                             SplittableRandom rng) {
        if (dropout != 0.0) {
            throw new IllegalArgumentException("a layer stack's dropout is a layer (dropout0.5), not " + dropout);
        }
        return accumulate(params, labels, rows, gradSum, lossSum, rng);
    }

    @Override
    public int predictedClass(int r) {
        return SoftmaxCrossEntropy.mostProbable(acts[layers.length], r * network.classes(), network.classes());
    }

    private void checkRows(int rows) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in 0.." + maxRows + ": " + rows);
        }
    }

    private void run(double[] params, int rows, SplittableRandom masks, boolean softmax) {
        if (params.length != network.parameterCount()) {
            throw new IllegalArgumentException(network + " has " + network.parameterCount() + " parameters, not " + params.length);
        }
        for (int i = 0; i < layers.length; i++) {
            layers[i].forward(params, offsets[i], acts[i], acts[i + 1], rows, masks);
        }
        if (softmax) {
            double[] out = acts[layers.length];
            for (int r = 0, classes = network.classes(); r < rows; r++) {
                SoftmaxCrossEntropy.softmax(out, r * classes, classes);
            }
        }
    }
}
