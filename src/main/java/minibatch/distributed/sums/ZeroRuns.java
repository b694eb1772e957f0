package minibatch.distributed.sums;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;

/**
 * A gradient array as Java serialization carries a task's {@link GradientSums} (one job per step):
 * runs of (number of +0.0 entries, number of other entries, those entries). A task's sample
 * leaves the weight rows of every pixel that is 0 in all its rows untouched, exactly +0.0: ~38% of
 * 784-50-10's parameters for 50 MNIST rows. Exact +0.0 (bit pattern 0) is the only value skipped,
 * so the reader gets the identical array back.
 */
final class ZeroRuns {
    private ZeroRuns() {
    }

    /** Writes {@code g}'s length and then its runs. */
    static void write(double[] g, ObjectOutput out) throws IOException {
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

    /** Reads what {@link #write} wrote. */
    static double[] read(ObjectInput in) throws IOException {
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
        return g;
    }
}
