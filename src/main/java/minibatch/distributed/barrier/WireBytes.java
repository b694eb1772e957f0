package minibatch.distributed.barrier;

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
 * A report from the driver's own JVM carries its tasks' gradient arrays unadded ({@code double[][]},
 * {@link StepReport#toWire}); it is counted as the one added-up array that an executor in
 * another JVM sends.
 */
final class WireBytes {
    /**
     * Sizes by a message's shape (element types, array lengths, strings): boxed numbers of one type
     * always take the same bytes, so messages of one shape have one size, and the driver counts
     * each step's messages without serializing anything after the first of a shape.
     */
    private static final java.util.Map<String, Long> BY_SHAPE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SHAPES = 1024;

    private WireBytes() {
    }

    /** Bytes {@code wire} (an {@code Object[]} of boxed numbers, strings and primitive arrays) takes serialized. */
    static long of(Object[] message) {
        Object[] wire = asSent(message);
        StringBuilder shape = new StringBuilder();
        for (Object o : wire) {
            shape.append(o == null ? "null" : o.getClass().getName()).append(':');
            if (o instanceof double[] d) {
                shape.append(d.length);
            } else if (o instanceof long[] l) {
                shape.append(l.length);
            } else if (o instanceof int[] n) {
                shape.append(n.length);
            } else if (o instanceof String str) {
                shape.append(str.length()).append(str);
            }
            shape.append(';');
        }
        String key = shape.toString();
        Long known = BY_SHAPE.get(key);
        if (known != null) {
            return known;
        }
        long bytes = serialized(wire);
        if (BY_SHAPE.size() < MAX_SHAPES) {
            BY_SHAPE.put(key, bytes);
        }
        return bytes;
    }

    /** {@code message} as an executor in another JVM sends it: unadded arrays as their one added-up array. */
    private static Object[] asSent(Object[] message) {
        Object[] sent = message;
        for (int i = 0; i < message.length; i++) {
            if (message[i] instanceof double[][] parts) {
                if (sent == message) {
                    sent = message.clone();
                }
                sent[i] = parts[0]; // the same length, so the same bytes
            }
        }
        return sent;
    }

    private static long serialized(Object[] wire) {
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
