package minibatch.nn;

/**
 * The reference the tests compare {@link BatchBackprop} (the pass training, evaluation and
 * prediction run) with: the textbook forward and backward pass of one row at a time, written
 * independently of the batch pass (it shares only the per-row building blocks:
 * {@link SparseLayer#forwardRow}, {@link Axpy}, the activations and the softmax). Work buffers are
 * reused across rows; not thread-safe.
 *
 * <p>Every matrix product skips inputs that are exactly 0: MNIST pixels are ~80% zeros and ReLU
 * outputs are often zero, so this does a fraction of the dense work and changes no result. What
 * is left is, forward, the products of the non-zero inputs ({@link SparseLayer}) and, backward,
 * one {@link Axpy} per non-zero input.
 */
public final class Backprop {
    private final NetworkShape shape;
    /** activations[l] = input of affine layer l ([size(l)]); activations[layers] = softmax output. */
    private final double[][] activations;
    /** dropScale[l][i]: 0 (dropped) or 1/(1-p) (kept) for hidden layer input l, during a dropout pass. */
    private final double[][] dropScale;
    private boolean dropoutActive;
    /** dLoss/d(pre-activation) of the layer being back-propagated ([size(l+1)]). */
    private final double[] delta;
    private final double[] deltaBelow;
    /**
     * nonZero[l][0..nonZeroCount[l]): indices of the non-zero entries of activations[l], ascending,
     * found in {@link #run}; both passes loop over them instead of testing every entry.
     */
    private final int[][] nonZero;
    private final int[] nonZeroCount;
    /** The non-zero inputs of the layer being run forward, and their weight rows' offsets. */
    private final double[] rowValues;
    private final int[] rowOffsets;

    public Backprop(NetworkShape shape) {
        this.shape = shape;
        this.activations = new double[shape.layers() + 1][];
        for (int l = 0; l <= shape.layers(); l++) {
            activations[l] = new double[shape.size(l)];
        }
        this.dropScale = new double[shape.layers()][];
        for (int l = 1; l < shape.layers(); l++) {
            dropScale[l] = new double[shape.size(l)];
        }
        this.delta = new double[shape.maxWidth()];
        this.deltaBelow = new double[shape.maxWidth()];
        this.nonZero = new int[shape.layers()][];
        for (int l = 0; l < shape.layers(); l++) {
            nonZero[l] = new int[shape.size(l)];
        }
        this.nonZeroCount = new int[shape.layers()];
        this.rowValues = new double[shape.maxWidth()];
        this.rowOffsets = new int[shape.maxWidth()];
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The input buffer ({@code [inputs]}) to fill before {@link #forward(double[])}. */
    public double[] input() {
        return activations[0];
    }

    /**
     * Runs the network on {@link #input()} and returns the class probabilities ({@code [classes]},
     * a view into this object's buffers, valid until the next call).
     */
    public double[] forward(double[] params) {
        return forward(params, 0.0, null);
    }

    /**
     * As {@link #forward(double[])}, with inverted dropout on every hidden layer when
     * {@code dropout > 0}: each hidden unit is kept with probability {@code 1 - dropout} (drawn
     * from {@code rng}) and scaled by {@code 1 / (1 - dropout)}, so evaluation needs no scaling.
     */
    public double[] forward(double[] params, double dropout, java.util.SplittableRandom rng) {
        return run(params, dropout, rng, true);
    }

    /**
     * The output layer's pre-softmax scores ({@code [classes]}, the logits; a view valid until the
     * next call) for {@link #input()}: softmax of them gives {@link #forward(double[])}.
     */
    public double[] logits(double[] params) {
        return run(params, 0.0, null, false);
    }

    private double[] run(double[] params, double dropout, java.util.SplittableRandom rng, boolean softmax) {
        dropoutActive = dropout > 0.0;
        int layers = shape.layers();
        for (int l = 0; l < layers; l++) {
            double[] in = activations[l];
            double[] out = activations[l + 1];
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            nonZeroCount[l] = SparseLayer.forwardRow(in, 0, nIn, nonZero[l], 0, params, w, out, 0, nOut, rowValues,
                    rowOffsets);
            int b = shape.biasOffset(l);
            for (int j = 0; j < nOut; j++) {
                out[j] += params[b + j];
            }
            if (l < layers - 1) {
                shape.hidden().apply(out, nOut);
                if (dropoutActive) {
                    double keep = 1.0 / (1.0 - dropout);
                    double[] scale = dropScale[l + 1];
                    for (int j = 0; j < nOut; j++) {
                        scale[j] = rng.nextDouble() < dropout ? 0.0 : keep;
                        out[j] *= scale[j];
                    }
                }
            } else if (softmax) {
                SoftmaxCrossEntropy.softmax(out, out, nOut);
            }
        }
        return activations[layers];
    }

    /** Index of the largest probability after {@link #forward}. */
    public int predictedClass() {
        double[] probs = activations[shape.layers()];
        int best = 0;
        for (int k = 1; k < probs.length; k++) {
            if (probs[k] > probs[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Forward and backward pass of one row: <b>adds</b> the row's gradient dLoss/dparams to
     * {@code gradSum} ({@code [parameterCount]}, a running sum over rows) and returns the row's loss
     * (with the 1e-7 guard). Fill {@link #input()} first.
     */
    public double accumulate(double[] params, int label, double[] gradSum) {
        return accumulate(params, label, gradSum, 0.0, null);
    }

    /**
     * As {@link #accumulate(double[], int, double[])} with dropout on the hidden layers (training
     * only); the masks are drawn from {@code rng}, so a seeded generator makes the pass reproducible.
     */
    public double accumulate(double[] params, int label, double[] gradSum, double dropout,
                             java.util.SplittableRandom rng) {
        double[] probs = forward(params, dropout, rng);
        double loss = SoftmaxCrossEntropy.loss(probs, label);
        int layers = shape.layers();
        SoftmaxCrossEntropy.outputGradient(probs, label, delta, shape.classes());
        double[] d = delta;
        double[] below = deltaBelow;
        for (int l = layers - 1; l >= 0; l--) {
            double[] in = activations[l];
            int nIn = shape.size(l);
            int nOut = shape.size(l + 1);
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            for (int j = 0; j < nOut; j++) {
                gradSum[b + j] += d[j];
            }
            int[] nz = nonZero[l];
            int count = nonZeroCount[l];
            for (int k = 0; k < count; k++) {
                int i = nz[k];
                Axpy.axpy(in[i], d, 0, gradSum, w + i * nOut, nOut);
            }
            if (l > 0) {
                Activation act = shape.hidden();
                double[] scale = dropScale[l];
                for (int i = 0; i < nIn; i++) {
                    // with dropout, in[i] = h·scale: the activation's own output is h = in[i] / scale
                    double slope = !dropoutActive ? act.derivativeFromOutput(in[i])
                            : scale[i] == 0.0 ? 0.0 : act.derivativeFromOutput(in[i] / scale[i]) * scale[i];
                    if (slope == 0.0) {
                        below[i] = 0.0;
                        continue;
                    }
                    int row = w + i * nOut;
                    double s = 0.0;
                    for (int j = 0; j < nOut; j++) {
                        s += params[row + j] * d[j];
                    }
                    below[i] = s * slope;
                }
                double[] t = d;
                d = below;
                below = t;
            }
        }
        return loss;
    }
}
