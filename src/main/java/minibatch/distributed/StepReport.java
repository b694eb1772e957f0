package minibatch.distributed;

import java.io.Serializable;

/**
 * A resident task's message to the driver in barrier-mode training: who sends it (partition,
 * segment, stage attempt, task and executor), the sums of the step it finished (null on its first
 * message), and, implicitly, a request for the next {@link StepOrder}. It crosses Spark's RPC as
 * {@link #toWire()}, JDK types only, as {@link StepOrder} does.
 *
 * @param partition    the task's partition
 * @param segment      the segment (barrier job) the task belongs to, as the driver numbered it
 * @param stageAttempt the barrier stage's attempt number: a retried stage's tasks have a higher one
 * @param taskId       Spark's task attempt id (the driver kills a stuck task by it)
 * @param executor     the executor id the task runs on (for error messages)
 * @param step         the step {@code sums} belong to, or -1 with {@code sums} null
 * @param sums         summed loss and gradient over the partition's sampled rows (sums, not means)
 * @param taskNanos    the task's time to sample and compute {@code sums}
 */
record StepReport(int partition, int segment, int stageAttempt, long taskId, String executor, long step,
                  GradientSums sums, long taskNanos) implements Serializable {

    /** The same task's report of {@code step}'s {@code sums}. */
    StepReport next(long step, GradientSums sums, long taskNanos) {
        return new StepReport(partition, segment, stageAttempt, taskId, executor, step, sums, taskNanos);
    }

    /**
     * {@code [partition, segment, stageAttempt, taskId, executor, step, taskNanos]} plus, with sums,
     * {@code [lossSum, gradientSum, count]}.
     */
    Object[] toWire() {
        Object[] head = {partition, segment, stageAttempt, taskId, executor, step, taskNanos};
        if (sums == null) {
            return head;
        }
        Object[] w = java.util.Arrays.copyOf(head, head.length + 3);
        w[7] = sums.lossSum();
        w[8] = sums.gradientSum();
        w[9] = sums.count();
        return w;
    }

    static StepReport fromWire(Object wire) {
        Object[] w = (Object[]) wire;
        GradientSums sums = w.length == 7 ? null : new GradientSums((Double) w[7], (double[]) w[8], (Long) w[9]);
        return new StepReport((Integer) w[0], (Integer) w[1], (Integer) w[2], (Long) w[3], (String) w[4], (Long) w[5],
                sums, (Long) w[6]);
    }
}
