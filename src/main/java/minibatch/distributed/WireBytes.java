package minibatch.distributed;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The size of a resident-step message ({@link StepOrder#toWire()}, {@link StepReport#toWire()})
 * in Java serialization, the form Spark's RPC sends it in between JVMs (its envelope, about a
 * hundred bytes naming sender and endpoint, is not counted). Primitive arrays are counted by
 * length instead of written: Java serialization writes an array as a header, an {@code int}
 * length and its elements, so the size of an array of length n is that of the empty array plus
 * n elements. Counting a 1.86 M-entry gradient therefore costs microseconds, not a 15 MB copy.
 */
final class WireBytes {
    private WireBytes() {
    }

    /** Bytes {@code wire} (an {@code Object[]} of boxed numbers, strings and primitive arrays) takes serialized. */
    static long of(Object[] wire) {
        Object[] shell = wire.clone();
        long elements = 0;
        for (int i = 0; i < shell.length; i++) {
            if (shell[i] instanceof double[] d) {
                elements += (long) d.length * Double.BYTES;
                shell[i] = new double[0];
            } else if (shell[i] instanceof long[] l) {
                elements += (long) l.length * Long.BYTES;
                shell[i] = new long[0];
            } else if (shell[i] instanceof int[] n) {
                elements += (long) n.length * Integer.BYTES;
                shell[i] = new int[0];
            }
        }
        Counter counter = new Counter();
        try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
            out.writeObject(shell);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.bytes + elements;
    }

    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
