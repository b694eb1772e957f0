package minibatch.distributed.barrier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Driver endpoints that tasks running in the driver's own JVM may call directly
 * ({@link StepLink#DIRECT}): the task's thread runs the handler, and the handler's reply completes
 * the task's future, with no RPC dispatcher thread between them. A task in another JVM finds
 * nothing here and uses Spark's RPC ({@link SparkInternals#driver}).
 */
final class SameJvmEndpoints {
    private static final ConcurrentHashMap<String, SparkInternals.Handler> HANDLERS = new ConcurrentHashMap<>();

    private SameJvmEndpoints() {
    }

    /**
     * Makes {@code handler} reachable as {@code name} in this JVM until the returned handle is
     * closed. The handler is then called from task threads, possibly at once, so it must be
     * thread-safe (Spark's RPC calls it from one thread at a time).
     */
    static SparkInternals.Served register(String name, SparkInternals.Handler handler) {
        HANDLERS.put(name, handler);
        return () -> HANDLERS.remove(name, handler);
    }

    /** A direct link to endpoint {@code name} if this JVM serves it, else null. */
    static SparkInternals.DriverLink find(String name) {
        SparkInternals.Handler handler = HANDLERS.get(name);
        if (handler == null) {
            return null;
        }
        return (message, timeoutMillis) -> {
            CompletableFuture<Object> answer = new CompletableFuture<>();
            handler.receive(message, answer::complete);
            return answer.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        };
    }

    /** The driver's link for a task: direct where this JVM serves {@code name}, else Spark's RPC. */
    static SparkInternals.DriverLink driver(String name) {
        SparkInternals.DriverLink direct = find(name);
        return direct != null ? direct : SparkInternals.driver(name);
    }
}
