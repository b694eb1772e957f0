package minibatch.distributed.barrier;

/**
 * Who sends a resident step's partial sums to the driver: {@code spark.minibatch.partialSums}
 * ({@link minibatch.distributed.MinibatchSettings#partialSums}).
 * <ul>
 *   <li>{@code executor} (the default): the tasks of one executor JVM add their sums and send one
 *       message, and share one copy of each step's weights ({@link ExecutorGroup}). The driver's
 *       traffic per step grows with executors, not tasks. The weights are bit for bit those of
 *       {@code task} whenever the executor of partition 0 runs partitions {@code 0..k} and every
 *       other executor runs one partition (always in {@code local} mode and with two partitions).</li>
 *   <li>{@code task}: every task sends its own sums and receives its own weights; the weights
 *       are the same on every cluster layout.</li>
 * </ul>
 */
public enum SumsSender {
    EXECUTOR, TASK
}
