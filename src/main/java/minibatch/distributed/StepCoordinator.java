package minibatch.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import minibatch.RunFailure;
import minibatch.UserError;

/**
 * The driver's end of barrier-mode training, served over Spark's RPC ({@link SparkInternals}).
 * Each resident task asks with a {@link StepReport} and is answered with the current
 * {@link StepOrder}; a task that has already reported the current step is parked until the driver
 * publishes the next one.
 *
 * <p>Every report names its segment and stage attempt. Reports of an older segment or attempt
 * (a zombie task of a killed attempt, which notices the kill only later) are answered with STOP
 * and otherwise ignored; the first report of a newer attempt releases the older attempt's parked
 * tasks. Sums are accepted once per partition and step: they are a function of the order and the
 * partition, so whichever attempt reports first gives the same numbers.
 *
 * <p>The driver's wait for a step's sums is bounded ({@link #awaitSums}): when a partition is late,
 * its task is killed, which makes Spark retry the whole barrier stage; when retries run out, the
 * run fails with one message naming the step, the partition and the executor.
 */
final class StepCoordinator implements SparkInternals.Handler {
    /** Kills a task attempt by Spark's task id. */
    interface TaskKiller {
        void kill(long taskId, String reason);
    }

    private final int partitions;
    private final Object lock = new Object();
    private final SparkInternals.Reply[] parked;
    private final long[] taskIds;
    private final String[] executors;
    private int segment = -1;
    private int attempt;
    private StepOrder current;
    private GradientSums[] received;
    private int receivedCount;
    private long taskNanos;
    private long ignored;

    StepCoordinator(int partitions) {
        this.partitions = partitions;
        this.parked = new SparkInternals.Reply[partitions];
        this.taskIds = new long[partitions];
        this.executors = new String[partitions];
        this.received = new GradientSums[partitions];
    }

    @Override
    public void receive(Object message, SparkInternals.Reply reply) {
        onReport(StepReport.fromWire(message), reply);
    }

    void onReport(StepReport report, SparkInternals.Reply reply) {
        synchronized (lock) {
            if (report.segment() != segment || report.stageAttempt() < attempt) {
                ignored++;
                reply.send(StepOrder.STOP.toWire());
                return;
            }
            int p = report.partition();
            if (report.stageAttempt() > attempt) {
                attempt = report.stageAttempt();
                forgetTasks();
                lock.notifyAll();
            }
            taskIds[p] = report.taskId();
            executors[p] = report.executor();
            if (report.sums() != null && current != null && report.step() == current.step() && received[p] == null) {
                received[p] = report.sums();
                receivedCount++;
                taskNanos += report.taskNanos();
                lock.notifyAll();
            }
            if (current != null && (current.stop() || received[p] == null)) {
                reply.send(current.toWire());
                return;
            }
            release(p); // a second task of this attempt and partition cannot be live; keep the newest
            parked[p] = reply;
        }
    }

    private void release(int p) {
        if (parked[p] != null) {
            parked[p].send(StepOrder.STOP.toWire());
            parked[p] = null;
        }
    }

    /** Releases every parked task and forgets which tasks report for which partition (under {@link #lock}). */
    private void forgetTasks() {
        for (int p = 0; p < partitions; p++) {
            release(p);
            taskIds[p] = -1;
            executors[p] = null;
        }
    }

    /** Starts segment {@code segment}: the previous order is forgotten; tasks that ask before {@link #publish} wait. */
    void reset(int segment) {
        synchronized (lock) {
            forgetTasks();
            this.segment = segment;
            attempt = 0;
            current = null;
            receivedCount = 0;
            received = new GradientSums[partitions];
        }
    }

    /** Makes {@code order} the current one and answers the tasks waiting for it. */
    void publish(StepOrder order) {
        synchronized (lock) {
            current = order;
            received = new GradientSums[partitions];
            receivedCount = 0;
            for (int p = 0; p < partitions; p++) {
                if (parked[p] != null) {
                    parked[p].send(order.toWire());
                    parked[p] = null;
                }
            }
        }
    }

    /**
     * Waits until every partition has reported the current step and returns the sums in partition
     * order ({@code [partitions]}, each a sum over that partition's sampled rows).
     *
     * @param job          the resident tasks' Spark job: if it ends first, the run fails
     * @param boundMillis  how long to wait for this step's sums
     * @param startMillis  how long to wait after a retried stage starts (its tasks read their partitions first)
     * @param retries      how many times a late partition's task is killed (each kill retries the
     *                     stage) before the run fails
     * @throws RunFailure naming the step, the late partition and its executor
     */
    GradientSums[] awaitSums(Future<?> job, long boundMillis, long startMillis, int retries, TaskKiller killer) {
        synchronized (lock) {
            long step = current.step();
            long deadline = now() + boundMillis;
            long bound = boundMillis;
            int seenAttempt = attempt;
            int kills = 0;
            String late = null;
            while (receivedCount < partitions) {
                if (job.isDone()) {
                    throw failure(job, step, late);
                }
                long now = now();
                if (attempt != seenAttempt) {
                    seenAttempt = attempt;
                    deadline = now + startMillis;
                    bound = startMillis;
                }
                if (now >= deadline) {
                    late = late(step, bound);
                    List<Long> stuck = lateTasks();
                    if (kills >= retries || stuck.isEmpty()) {
                        throw new RunFailure(late + (kills > 0 ? "; the stage was retried " + kills + " times" : "")
                                + "; set " + StepBounds.STEP_TIMEOUT_KEY + " to wait longer");
                    }
                    for (long taskId : stuck) {
                        killer.kill(taskId, late);
                    }
                    kills++;
                    deadline = now + startMillis;
                    bound = startMillis;
                }
                try {
                    lock.wait(Math.max(1, Math.min(100, deadline - now)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for step " + step, e);
                }
            }
            return received.clone();
        }
    }

    /** "step S: partition P (executor E) sent no sums within X s", for every late partition. */
    private String late(long step, long boundMillis) {
        List<String> who = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (received[p] == null) {
                who.add("partition " + p + " (" + (executors[p] == null ? "no task of this attempt has reported"
                        : "executor " + executors[p]) + ")");
            }
        }
        return "step " + step + ": " + String.join(", ", who) + " sent no sums within "
                + String.format(java.util.Locale.ROOT, "%.1f", boundMillis / 1000.0) + " s";
    }

    private List<Long> lateTasks() {
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (received[p] == null && taskIds[p] >= 0) {
                ids.add(taskIds[p]);
            }
        }
        return ids;
    }

    /** The tasks' time (summed over tasks) to sample and compute the accepted sums since the last call. */
    long takeTaskNanos() {
        synchronized (lock) {
            long t = taskNanos;
            taskNanos = 0;
            return t;
        }
    }

    /** Reports answered with STOP because they came from an older segment or stage attempt. */
    long ignoredReports() {
        synchronized (lock) {
            return ignored;
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private static RuntimeException failure(Future<?> job, long step, String late) {
        Throwable cause;
        try {
            job.get();
            cause = new IllegalStateException("the job finished without error");
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            cause = e;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UserError user) {
                return user;
            }
        }
        String why = late != null ? late : "step " + step + ": the barrier training job ended before every partition reported";
        return new RunFailure(why + ": " + minibatch.UserError.firstLine(cause), cause);
    }
}
