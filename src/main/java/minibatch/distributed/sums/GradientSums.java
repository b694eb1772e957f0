package minibatch.distributed.sums;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.nio.ByteBuffer;
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
    /** For a {@link #total} not yet added up: the parts' gradient arrays, in partition order. */
    private transient double[][] unmerged;

    public GradientSums(int parameterCount) {
        this.gradientSum = new double[parameterCount];
    }

    /** Sums made elsewhere: {@code gradientSum} ({@code [parameterCount]}) is kept, not copied. */
    public GradientSums(double lossSum, double[] gradientSum, long count) {
        this.lossSum = lossSum;
        this.gradientSum = gradientSum;
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
     * one into empty sums gives ({@code ((0.0 + p0) + p1) + ...} per entry). A part that is itself
     * a total not yet added up contributes its own parts, in their order. The gradient is added up
     * only when asked for: {@link #meanInto} adds and divides in one pass over the arrays, which
     * for a large network is most of the merge time (a pass over 1.86 M doubles is memory-bound).
     */
    public static GradientSums total(java.util.List<GradientSums> parts) {
        int length = parts.get(0).length();
        double loss = 0.0;
        long count = 0;
        java.util.List<double[]> arrays = new java.util.ArrayList<>(parts.size());
        for (GradientSums part : parts) {
            if (part.length() != length) {
                throw new IllegalArgumentException("gradient sums of different networks");
            }
            if (part.unmerged != null) {
                arrays.addAll(java.util.Arrays.asList(part.unmerged));
            } else {
                arrays.add(part.gradientSum);
            }
            loss += part.lossSum;
            count += part.count;
        }
        return ofParts(loss, arrays.toArray(new double[0][]), count);
    }

    /** Sums whose gradient is the total of {@code parts} ({@code [parts][parameterCount]}), not yet added up. */
    public static GradientSums ofParts(double lossSum, double[][] parts, long count) {
        GradientSums total = new GradientSums(lossSum, null, count);
        total.unmerged = parts;
        return total;
    }

    /**
     * The gradient as a resident-step report carries it: within the driver's JVM ({@code local}
     * mode) a total's parts as they are ({@code double[][]}, nothing copied: the driver adds them
     * inside its division), else the one added-up array ({@code double[]}), so that what crosses a
     * socket grows with executors, not tasks.
     */
    public Object wireGradient(boolean driversJvm) {
        return driversJvm && unmerged != null ? unmerged : gradientSum();
    }

    private int length() {
        return unmerged != null ? unmerged[0].length : gradientSum.length;
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
        addUp(arrays, out, from, to);
        for (int i = from; i < to; i++) {
            out[i] /= n;
        }
    }

    /**
     * Entries {@code [from, to)} of the parts' total into {@code out[i]}: {@code ((0.0 + p0) + p1) + ...},
     * merge's order, an array at a time, every array indexed alike (loops that vectorize).
     */
    private static void addUp(double[][] arrays, double[] out, int from, int to) {
        double[] first = arrays[0];
        for (int i = from; i < to; i++) {
            out[i] = 0.0 + first[i];
        }
        for (int p = 1; p < arrays.length; p++) {
            double[] part = arrays[p];
            for (int i = from; i < to; i++) {
                out[i] += part[i];
            }
        }
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
            // element-wise, so cores may share it (ParallelChunks) with the same result; on an
            // executor one thread per part: the parts' tasks hold those cores and wait meanwhile
            ParallelChunks.forEach(sum.length, arrays.length, (from, to) -> {
                for (int c = from; c < to; c += ParallelChunks.CHUNK) { // a cache-sized piece at a time
                    addUp(arrays, sum, c, Math.min(to, c + ParallelChunks.CHUNK));
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
