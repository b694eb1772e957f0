package minibatch.distributed.sums;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Partial sums over sampled rows: the summed loss, the summed gradient ({@code [parameterCount]})
 * and the number of rows. Executors and the driver only add them up ({@link #merge},
 * {@link #total}); the driver divides once, by the total {@link #count()} N ({@link #meanInto}).
 *
 * <p>A {@link #total} keeps its parts' gradient arrays {@link UnaddedGradients unadded} until the
 * added-up array is asked for or the division adds them on its way.
 */
public final class GradientSums implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Java serialization writes these fields, then the gradient as {@link ZeroRuns}. The array stays
     * an ordinary field, so serializers that ignore this (Kryo, if a user sets
     * {@code spark.serializer}) still carry it, in full.
     */
    private static final ObjectStreamField[] serialPersistentFields = {
        new ObjectStreamField("lossSum", double.class), new ObjectStreamField("count", long.class)};

    private double lossSum;
    /** Null while the gradient is {@link #unadded}. */
    private double[] gradientSum;
    private long count;
    /** The parts of a {@link #total} not yet added up, or null. */
    private transient UnaddedGradients unadded;

    /** Empty sums of a network of {@code parameterCount} parameters. */
    public GradientSums(int parameterCount) {
        this.gradientSum = new double[parameterCount];
    }

    /** Sums made elsewhere: {@code gradientSum} ({@code [parameterCount]}) is kept, not copied. */
    public GradientSums(double lossSum, double[] gradientSum, long count) {
        this.lossSum = lossSum;
        this.gradientSum = gradientSum;
        this.count = count;
    }

    /** Sums whose gradient is the total of {@code parts}, not yet added up. */
    public GradientSums(double lossSum, UnaddedGradients parts, long count) {
        this.lossSum = lossSum;
        this.unadded = parts;
        this.count = count;
    }

    /** Adds another partition's sums into this one and returns this. */
    public GradientSums merge(GradientSums other) {
        double[] mine = gradientSum();
        double[] theirs = other.gradientSum();
        if (theirs.length != mine.length) {
            throw new IllegalArgumentException("gradient sums of different networks");
        }
        lossSum += other.lossSum;
        for (int i = 0; i < mine.length; i++) {
            mine[i] += theirs[i];
        }
        count += other.count;
        return this;
    }

    /**
     * The total of {@code parts} (in list order, non-empty), bit for bit what merging them one by
     * one into empty sums gives ({@code ((0.0 + p0) + p1) + ...} per entry). Its gradient stays
     * {@link UnaddedGradients unadded}; a part that is itself unadded contributes its own parts, in
     * their order.
     */
    public static GradientSums total(List<GradientSums> parts) {
        int length = parts.get(0).length();
        double loss = 0.0;
        long count = 0;
        List<double[]> arrays = new ArrayList<>(parts.size());
        for (GradientSums part : parts) {
            if (part.length() != length) {
                throw new IllegalArgumentException("gradient sums of different networks");
            }
            if (part.unadded != null) {
                arrays.addAll(Arrays.asList(part.unadded.parts()));
            } else {
                arrays.add(part.gradientSum);
            }
            loss += part.lossSum;
            count += part.count;
        }
        return new GradientSums(loss, UnaddedGradients.of(arrays), count);
    }

    private int length() {
        return unadded != null ? unadded.length() : gradientSum.length;
    }

    /**
     * The driver's one division by N: writes the mean gradient {@code gradientSum[i] / count()}
     * into {@code out[i]} for {@code i} in {@code [from, to)}. An unadded gradient is added on the
     * way, with the same operations (so the same bits) as adding first and dividing after.
     */
    public void meanInto(double[] out, int from, int to) {
        long n = count;
        UnaddedGradients parts = unadded;
        if (parts == null) {
            for (int i = from; i < to; i++) {
                out[i] = gradientSum[i] / n;
            }
            return;
        }
        parts.addInto(out, from, to);
        for (int i = from; i < to; i++) {
            out[i] /= n;
        }
    }

    /** Sum of the per-row losses. */
    public double lossSum() {
        return lossSum;
    }

    /** Sum of the per-row gradients ({@code [parameterCount]}, added up now if it was not); the live array, not a copy. */
    public double[] gradientSum() {
        UnaddedGradients parts = unadded;
        if (parts != null) {
            gradientSum = parts.added();
            unadded = null;
        }
        return gradientSum;
    }

    /** The parts of a {@link #total} whose gradient has not been added up yet, else null. */
    public UnaddedGradients unadded() {
        return unadded;
    }

    /** Rows added (N when this is the total of a step). */
    public long count() {
        return count;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        double[] g = gradientSum();
        out.defaultWriteObject();
        ZeroRuns.write(g, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        gradientSum = ZeroRuns.read(in);
    }
}
