package minibatch.distributed;

import java.io.Serializable;
import minibatch.nn.Backprop;

/**
 * Partial sums over the rows of one partition's mini-batch sample: the summed loss, the summed
 * gradient ({@code [parameterCount]}) and the number of rows. Executors only add and merge; the
 * driver divides once, by the total {@link #count()}.
 */
public final class GradientSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private double lossSum;
    private final double[] gradientSum;
    private long count;

    public GradientSums(int parameterCount) {
        this.gradientSum = new double[parameterCount];
    }

    /** Adds one row: its loss, its gradient (computed by {@code pass} at {@code params}) and 1 to the count. */
    public void add(Backprop pass, double[] params, int label) {
        add(pass, params, label, 0.0, null);
    }

    /** As {@link #add(Backprop, double[], int)} with dropout on the hidden layers. */
    public void add(Backprop pass, double[] params, int label, double dropout, java.util.SplittableRandom rng) {
        lossSum += pass.accumulate(params, label, gradientSum, dropout, rng);
        count++;
    }

    /** Adds another partition's sums into this one and returns this. */
    public GradientSums merge(GradientSums other) {
        if (other.gradientSum.length != gradientSum.length) {
            throw new IllegalArgumentException("gradient sums of different networks");
        }
        lossSum += other.lossSum;
        for (int i = 0; i < gradientSum.length; i++) {
            gradientSum[i] += other.gradientSum[i];
        }
        count += other.count;
        return this;
    }

    /** Sum of the per-row losses. */
    public double lossSum() {
        return lossSum;
    }

    /** Sum of the per-row gradients ({@code [parameterCount]}); the live array, not a copy. */
    public double[] gradientSum() {
        return gradientSum;
    }

    /** Rows added (N when this is the total of a step). */
    public long count() {
        return count;
    }
}
