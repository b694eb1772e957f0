package minibatch.nn;

/**
 * Softmax output with cross-entropy loss, per row. The loss of a row is
 * {@code -Σ_k t_k · log(y_k + 1e-7)}; for an integer label t that is {@code -log(y_t + 1e-7)}.
 * Both forms give bit-identical values for one-hot targets: the zero terms of the sum are ±0.0,
 * which leave the one non-zero term unchanged.
 */
public final class SoftmaxCrossEntropy {
    /** Keeps log() finite when a probability underflows to 0. */
    public static final double LOG_GUARD = 1e-7;

    private SoftmaxCrossEntropy() {
    }

    /**
     * Writes softmax(logits[0..n)) into {@code probs}. Subtracts the row max before exp so that
     * large logits stay finite. {@code logits} and {@code probs} may be the same array.
     */
    public static void softmax(double[] logits, double[] probs, int n) {
        if (logits != probs) {
            System.arraycopy(logits, 0, probs, 0, n); // exact: the in-place pass then sees the same values
        }
        softmax(probs, 0, n);
    }

    /** softmax of {@code z[off..off+n)} in place (the row max subtracted before exp). */
    public static void softmax(double[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = off; k < off + n; k++) {
            max = Math.max(max, z[k]);
        }
        double sum = 0.0;
        for (int k = off; k < off + n; k++) {
            double e = Math.exp(z[k] - max);
            z[k] = e;
            sum += e;
        }
        for (int k = off; k < off + n; k++) {
            z[k] /= sum;
        }
    }

    /** The first index of the largest of {@code probs[offset..offset+n)}, minus {@code offset}: the predicted class. */
    public static int mostProbable(double[] probs, int offset, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (probs[offset + k] > probs[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /** Loss of one row with an integer label: {@code -log(y_label + 1e-7)}. */
    public static double loss(double[] probs, int label) {
        return loss(probs, label, LOG_GUARD);
    }

    /**
     * Loss of one row with an explicit guard. {@code guard = 0} is the exact function whose
     * gradient {@link #outputGradient} computes, which is what a gradient check compares against.
     */
    public static double loss(double[] probs, int label, double guard) {
        return -Math.log(probs[label] + guard);
    }

    /** Loss of the row at {@code probs[offset..offset+classes)} with an integer label: {@code -log(y_label + 1e-7)}. */
    public static double lossAt(double[] probs, int offset, int label) {
        return loss(probs, offset + label, LOG_GUARD);
    }

    /** Loss of one row with a target distribution {@code t[0..n)} (one-hot or soft). */
    public static double loss(double[] probs, double[] target, int n) {
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            sum += target[k] * Math.log(probs[k] + LOG_GUARD);
        }
        return -sum;
    }

    /** Sum (not mean) of the per-row losses of {@code probs [rows × classes]} with integer labels. */
    public static double lossSum(double[][] probs, int[] labels) {
        double sum = 0.0;
        for (int r = 0; r < probs.length; r++) {
            sum += loss(probs[r], labels[r]);
        }
        return sum;
    }

    /** Sum (not mean) of the per-row losses with targets {@code [rows × classes]}. */
    public static double lossSum(double[][] probs, double[][] targets) {
        double sum = 0.0;
        for (int r = 0; r < probs.length; r++) {
            sum += loss(probs[r], targets[r], probs[r].length);
        }
        return sum;
    }

    /**
     * dLoss/dlogits of one row, {@code y - onehot(label)}, written into {@code grad[0..n)}. This is
     * the gradient of the unguarded loss (guard 0), as is standard; the 1e-7 guard only matters when
     * a probability is near 0.
     */
    public static void outputGradient(double[] probs, int label, double[] grad, int n) {
        outputGradient(probs, 0, label, grad, n);
    }

    /** As {@link #outputGradient(double[], int, double[], int)} for the row at {@code [offset, offset + n)} of both arrays. */
    public static void outputGradient(double[] probs, int offset, int label, double[] grad, int n) {
        System.arraycopy(probs, offset, grad, offset, n);
        grad[offset + label] -= 1.0;
    }
}
