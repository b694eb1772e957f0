package minibatch.distributed;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.nio.ByteBuffer;
import minibatch.nn.Backprop;
import minibatch.nn.ParallelChunks;

/**
 * Partial sums over the rows of one partition's mini-batch sample: the summed loss, the summed
 * gradient ({@code [parameterCount]}) and the number of rows. Executors only add and merge; the
 * driver divides once, by the total {@link #count()}.
 */
public final class GradientSums implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Java serialization writes these fields, then the gradient in {@link #writeObject}'s run format.
     * The array stays an ordinary field, so serializers that ignore this (Kryo, if a user sets
     * {@code spark.serializer}) still carry it, in full.
     */
    private static final ObjectStreamField[] serialPersistentFields = {
        new ObjectStreamField("lossSum", double.class), new ObjectStreamField("count", long.class)};

    private double lossSum;
    /** Null while this is a {@link #total} not yet added up. */
    private double[] gradientSum;
    private long count;
    /** For a {@link #total} not yet added up: the parts' gradient arrays, in partition order (driver only). */
    private transient double[][] unmerged;

    public GradientSums(int parameterCount) {
        this.gradientSum = new double[parameterCount];
    }

    /** Sums made elsewhere: {@code gradientSum} ({@code [parameterCount]}) is kept, not copied. */
    GradientSums(double lossSum, double[] gradientSum, long count) {
        this.lossSum = lossSum;
        this.gradientSum = gradientSum;
        this.count = count;
    }

    /** Adds one row: its loss, its gradient (computed by {@code pass} at {@code params}) and 1 to the count. */
    public void add(Backprop pass, double[] params, int label) {
        add(pass, params, label, 0.0, null);
    }

    /** As {@link #add(Backprop, double[], int)} with dropout on the hidden layers. */
    public void add(Backprop pass, double[] params, int label, double dropout, java.util.SplittableRandom rng) {
        lossSum += pass.accumulate(params, label, gradientSum(), dropout, rng);
        count++;
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
     * one into empty sums gives ({@code ((0.0 + p0) + p1) + ...} per entry). The gradient is added
     * up only when asked for: {@link #meanInto} adds and divides in one pass over the arrays, which
     * for a large network is most of the driver's merge time (a pass over 1.86 M doubles is
     * memory-bound).
     */
    static GradientSums total(java.util.List<GradientSums> parts) {
        int length = parts.get(0).gradientSum().length;
        double loss = 0.0;
        long count = 0;
        double[][] arrays = new double[parts.size()][];
        for (int p = 0; p < arrays.length; p++) {
            GradientSums part = parts.get(p);
            if (part.gradientSum().length != length) {
                throw new IllegalArgumentException("gradient sums of different networks");
            }
            arrays[p] = part.gradientSum();
            loss += part.lossSum;
            count += part.count;
        }
        GradientSums total = new GradientSums(loss, null, count);
        total.unmerged = arrays;
        return total;
    }

    /**
     * Writes {@code gradientSum[i] / count()} into {@code out[i]} for {@code i} in {@code [from, to)}:
     * the driver's one division. For a {@link #total} not yet added up it adds the parts on the way,
     * with the same operations (so the same bits) as adding first and dividing after.
     */
    public void meanInto(double[] out, int from, int to) {
        long n = count;
        double[][] arrays = unmerged;
        if (arrays == null) {
            for (int i = from; i < to; i++) {
                out[i] = gradientSum[i] / n;
            }
            return;
        }
        for (int i = from; i < to; i++) {
            out[i] = sumAt(arrays, i) / n;
        }
    }

    /** Entry {@code i} of the parts' total, {@code ((0.0 + p0) + p1) + ...}: merge's order. */
    private static double sumAt(double[][] arrays, int i) {
        double s = 0.0;
        for (double[] a : arrays) {
            s += a[i];
        }
        return s;
    }

    /** Sum of the per-row losses. */
    public double lossSum() {
        return lossSum;
    }

    /** Sum of the per-row gradients ({@code [parameterCount]}); the live array, not a copy. */
    public double[] gradientSum() {
        double[][] arrays = unmerged;
        if (arrays != null) {
            double[] sum = new double[arrays[0].length];
            // element-wise, so the driver's cores may share it (ParallelChunks) with the same result
            ParallelChunks.forEach(sum.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    sum[i] = sumAt(arrays, i);
                }
            });
            gradientSum = sum;
            unmerged = null;
        }
        return gradientSum;
    }

    /**
     * Writes the gradient as runs: (number of +0.0 entries, number of other entries, those
     * entries). A task's sample leaves the weight rows of every pixel that is 0 in all its rows
     * untouched, exactly +0.0: ~38% of 784-50-10's parameters for 50 MNIST rows. Exact +0.0 (bit
     * pattern 0) is the only value skipped, so the driver reads back the identical array.
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        double[] g = gradientSum();
        out.defaultWriteObject();
        out.writeInt(g.length);
        ByteBuffer buffer = null;
        int i = 0;
        while (i < g.length) {
            int zeroStart = i;
            while (i < g.length && Double.doubleToRawLongBits(g[i]) == 0L) {
                i++;
            }
            int start = i;
            while (i < g.length && Double.doubleToRawLongBits(g[i]) != 0L) {
                i++;
            }
            out.writeInt(start - zeroStart);
            out.writeInt(i - start);
            if (i > start) {
                if (buffer == null || buffer.capacity() < (i - start) * Double.BYTES) {
                    buffer = ByteBuffer.allocate(Math.max((i - start) * Double.BYTES, 4096));
                }
                buffer.clear();
                buffer.asDoubleBuffer().put(g, start, i - start);
                out.write(buffer.array(), 0, (i - start) * Double.BYTES);
            }
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative gradient length " + length);
        }
        double[] g = new double[length];
        byte[] bytes = new byte[0];
        int i = 0;
        while (i < length) {
            int zeros = in.readInt();
            int values = in.readInt();
            if (zeros < 0 || values < 0 || zeros + values == 0 || (long) i + zeros + values > length) {
                throw new IOException("malformed gradient runs at entry " + i);
            }
            i += zeros;
            if (values > 0) {
                if (bytes.length < values * Double.BYTES) {
                    bytes = new byte[values * Double.BYTES];
                }
                in.readFully(bytes, 0, values * Double.BYTES);
                ByteBuffer.wrap(bytes, 0, values * Double.BYTES).asDoubleBuffer().get(g, i, values);
                i += values;
            }
        }
        gradientSum = g;
    }

    /** Rows added (N when this is the total of a step). */
    public long count() {
        return count;
    }
}
