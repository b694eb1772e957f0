package minibatch.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Element-wise work over a flat vector (the driver's mean and update, an executor's merge of its
 * tasks' sums: {@code [parameterCount]} arrays), split into ranges that the JVM's cores run at
 * once. Each entry is computed by the same operations whichever thread runs it, so the result is
 * bit for bit the serial loop's ({@code ParallelDriverTest}, {@code OptimizersTest}). Vectors shorter than
 * {@link #MIN_PARALLEL} run in the calling thread: for the textbook network's 39,760 entries
 * handing work to other threads costs more than it saves.
 */
public final class ParallelChunks {
    /** Ranges start at multiples of this (32,768 doubles, 256 KiB): whole cache-friendly pieces. */
    public static final int CHUNK = 1 << 15;
    /** Vectors with fewer entries stay in the calling thread. */
    public static final int MIN_PARALLEL = 4 * CHUNK;

    /** {@code body.run(from, to)} computes entries {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    private static volatile ExecutorService pool;

    private ParallelChunks() {
    }

    /** Runs {@code body} over {@code [0, length)}, in pieces on up to {@link #threads()} threads when the vector is long. */
    public static void forEach(int length, Range body) {
        forEach(length, THREADS, body);
    }

    /** As {@link #forEach(int, Range)} on at most {@code maxThreads} threads (the calling one included). */
    public static void forEach(int length, int maxThreads, Range body) {
        int pieces = Math.min(Math.min(THREADS, maxThreads), (length + CHUNK - 1) / CHUNK);
        if (length < MIN_PARALLEL || pieces < 2) {
            body.run(0, length);
            return;
        }
        int chunks = (length + CHUNK - 1) / CHUNK;
        List<Callable<Void>> rest = new ArrayList<>(pieces - 1);
        int from = 0;
        int first = -1;
        for (int p = 0; p < pieces; p++) {
            int to = p == pieces - 1 ? length : (int) Math.min(length, (long) chunks * (p + 1) / pieces * CHUNK);
            int f = from;
            if (p == 0) {
                first = to;
            } else {
                rest.add(() -> {
                    body.run(f, to);
                    return null;
                });
            }
            from = to;
        }
        List<Future<Void>> running = new ArrayList<>(rest.size());
        ExecutorService threads = pool();
        for (Callable<Void> c : rest) {
            running.add(threads.submit(c));
        }
        body.run(0, first);
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a parallel update", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** The most threads {@link #forEach} uses: the JVM's cores, at most 8. */
    public static int threads() {
        return THREADS;
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (ParallelChunks.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newFixedThreadPool(THREADS - 1, r -> {
                        Thread t = new Thread(r, "minibatch-chunks");
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
