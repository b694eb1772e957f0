package minibatch.distributed.barrier;

/**
 * How resident tasks that run in the driver's own JVM ({@code local} mode) reach the driver:
 * {@code spark.minibatch.stepLink} ({@link minibatch.distributed.MinibatchSettings#stepLink}).
 * <ul>
 *   <li>{@code direct} (the default): they hand their reports to the driver's step coordinator and
 *       take its orders as objects in memory ({@link SameJvmEndpoints}). Spark's RPC would hand the
 *       same objects over, unserialized, but through its dispatcher's threads: one more thread to
 *       wake per message, which on two busy cores was a large part of a small network's step.</li>
 *   <li>{@code rpc}: through Spark's RPC, as tasks in other JVMs always do.</li>
 * </ul>
 * Both deliver the same messages, so the numbers are the same. Executors in other JVMs (any
 * cluster) always use Spark's RPC.
 */
public enum StepLink {
    DIRECT, RPC
}
