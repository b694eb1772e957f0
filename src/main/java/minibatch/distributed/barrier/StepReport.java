package minibatch.distributed.barrier;

import java.io.Serializable;
import minibatch.distributed.sums.GradientSums;
import minibatch.distributed.sums.UnaddedGradients;

/**
 * The message of one executor's resident tasks to the driver in barrier-mode training, sent by
 * the task that leads them ({@link ExecutorGroup}): who sends it (partitions, segment, stage
 * attempt, tasks and executor), the sums of the step they finished (null on the first message),
 * and, implicitly, a request for the next {@link StepOrder}. It crosses Spark's RPC as
 * {@link #toWire()}, JDK types only, as {@link StepOrder} does.
 *
 * @param partitions   the partitions whose tasks run on this executor in this stage attempt, ascending
 * @param segment      the segment (barrier job) the tasks belong to, as the driver numbered it
 * @param stageAttempt the barrier stage's attempt number: a retried stage's tasks have a higher one
 * @param taskIds      Spark's task attempt ids, one per partition (the driver kills stuck tasks by them)
 * @param executor     the executor id the tasks run on (for error messages; {@code driver} in {@code local} mode)
 * @param step         the step {@code sums} belong to, or -1 with {@code sums} null
 * @param sums         summed loss and gradient over the sampled rows of all {@code partitions}
 *                     (sums, not means)
 * @param taskNanos    the tasks' time to sample and compute {@code sums}, summed over the tasks
 */
record StepReport(int[] partitions, int segment, int stageAttempt, long[] taskIds, String executor, long step,
                  GradientSums sums, long taskNanos) implements Serializable {
    /** The executor id of the driver's JVM (Spark's {@code SparkContext.DRIVER_IDENTIFIER}): {@code local} mode's one executor. */
    static final String DRIVER = "driver";
    private static final int HEAD = 7;

    /** The report of a task that sends for its own partition only. */
    StepReport(int partition, int segment, int stageAttempt, long taskId, String executor, long step,
               GradientSums sums, long taskNanos) {
        this(new int[] {partition}, segment, stageAttempt, new long[] {taskId}, executor, step, sums, taskNanos);
    }

    /** The lowest of {@link #partitions()}: the leading task's, which names the group. */
    int lead() {
        return partitions[0];
    }

    /** The same tasks' report of {@code step}'s {@code sums}. */
    StepReport next(long step, GradientSums sums, long taskNanos) {
        return new StepReport(partitions, segment, stageAttempt, taskIds, executor, step, sums, taskNanos);
    }

    /**
     * {@code [partitions, segment, stageAttempt, taskIds, executor, step, taskNanos]} plus, with
     * sums, {@code [lossSum, gradient, count]}. The gradient is the one added-up {@code double[]},
     * so that what crosses a socket grows with executors, not tasks; within the driver's JVM
     * ({@code local} mode) the tasks' arrays go as they are ({@code double[][]}, nothing copied:
     * the driver adds them inside its division, {@link GradientSums#meanInto}).
     */
    Object[] toWire() {
        Object[] head = {partitions, segment, stageAttempt, taskIds, executor, step, taskNanos};
        if (sums == null) {
            return head;
        }
        UnaddedGradients parts = sums.unadded();
        Object[] w = java.util.Arrays.copyOf(head, HEAD + 3);
        w[HEAD] = sums.lossSum();
        w[HEAD + 1] = DRIVER.equals(executor) && parts != null ? parts.parts() : sums.gradientSum();
        w[HEAD + 2] = sums.count();
        return w;
    }

    static StepReport fromWire(Object wire) {
        Object[] w = (Object[]) wire;
        GradientSums sums = null;
        if (w.length > HEAD) {
            double loss = (Double) w[HEAD];
            long count = (Long) w[HEAD + 2];
            sums = w[HEAD + 1] instanceof double[][] parts ? new GradientSums(loss, new UnaddedGradients(parts), count)
                    : new GradientSums(loss, (double[]) w[HEAD + 1], count);
        }
        return new StepReport((int[]) w[0], (Integer) w[1], (Integer) w[2], (long[]) w[3], (String) w[4], (Long) w[5],
                sums, (Long) w[6]);
    }
}
