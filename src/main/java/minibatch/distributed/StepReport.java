package minibatch.distributed;

import java.io.Serializable;

/**
 * A resident task's message to the driver in barrier-mode training: the sums of the step it
 * finished (null on its first message), and, implicitly, a request for the next {@link StepOrder}.
 * It crosses Spark's RPC as {@link #toWire()}, JDK types only, as {@link StepOrder} does.
 */
final class StepReport implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final long step;
    private final GradientSums sums;
    private final long taskNanos;

    /**
     * @param step the step {@code sums} belong to, or -1 with {@code sums} null
     * @param sums summed loss and gradient over the partition's sampled rows (sums, not means)
     * @param taskNanos the task's time to sample and compute {@code sums}
     */
    StepReport(int partition, long step, GradientSums sums, long taskNanos) {
        this.partition = partition;
        this.step = step;
        this.sums = sums;
        this.taskNanos = taskNanos;
    }

    long taskNanos() {
        return taskNanos;
    }

    /** {@code [partition, step, taskNanos]} plus, with sums, {@code [lossSum, gradientSum, count]}. */
    Object[] toWire() {
        return sums == null ? new Object[] {partition, step, taskNanos}
                : new Object[] {partition, step, taskNanos, sums.lossSum(), sums.gradientSum(), sums.count()};
    }

    static StepReport fromWire(Object wire) {
        Object[] w = (Object[]) wire;
        GradientSums sums = w.length == 3 ? null : new GradientSums((Double) w[3], (double[]) w[4], (Long) w[5]);
        return new StepReport((Integer) w[0], (Long) w[1], sums, (Long) w[2]);
    }

    int partition() {
        return partition;
    }

    long step() {
        return step;
    }

    GradientSums sums() {
        return sums;
    }
}
