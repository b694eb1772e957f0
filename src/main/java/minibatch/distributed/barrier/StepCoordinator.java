package minibatch.distributed.barrier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import minibatch.RunFailure;
import minibatch.UserError;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.sums.GradientSums;

/**
 * The driver's end of barrier-mode training: the hand-off of each step's order and sums, reached
 * through the driver's endpoint ({@link StepMessages}). Each executor's tasks ask through their
 * leading task ({@link ExecutorGroup}) with one {@link StepReport} and get the current {@link StepOrder};
 * a group that has reported the current step is parked until the next one is published.
 *
 * <p>Every report names its segment and stage attempt. Reports of an older segment or attempt
 * (a zombie task of a killed attempt, which notices the kill only later) are answered with STOP
 * and otherwise ignored; the first report of a newer attempt releases the older attempt's parked
 * tasks and drops the current step's sums received so far, since the new attempt's tasks may be
 * grouped differently (they compute the step again). Sums are accepted once per partition and step.
 *
 * <p>The driver's wait for a step's sums is bounded ({@link #awaitSums}): when a partition is late,
 * its task is killed, which makes Spark retry the whole barrier stage; when retries run out (counted
 * over the segment, as Spark counts its stage's failed attempts), the run fails with one message
 * naming the step, the partition and the executor. When the stage cannot run for want of task
 * slots (no task reported within two start bounds, or too few slots), it ends with {@link StarvedSegment}.
 */
final class StepCoordinator {
    private final int partitions;
    private final Object lock = new Object();
    /** By the lowest partition of the reporting group: its parked reply. */
    private final SparkInternals.Reply[] parked;
    private final ReportingTasks tasks;
    private int segment = -1;
    private int attempt;
    private StepOrder current;
    /** By the lowest partition of the reporting group: that group's sums of the current step. */
    private GradientSums[] received;
    /** By partition: whether some group's sums of the current step include it. */
    private boolean[] covered;
    private int receivedCount;
    private long taskNanos;
    /** By partition: whether its task of the current attempt has been told to stop. */
    private boolean[] stopped;
    /** By the lowest partition of a parked group: the group's partitions. */
    private final int[][] parkedMembers;
    /** Tasks killed in this segment: its stage's failed attempts count until the stage ends. */
    private int kills;

    StepCoordinator(int partitions) {
        this.partitions = partitions;
        this.parked = new SparkInternals.Reply[partitions];
        this.tasks = new ReportingTasks(partitions);
        this.received = new GradientSums[partitions];
        this.covered = new boolean[partitions];
        this.stopped = new boolean[partitions];
        this.parkedMembers = new int[partitions][];
    }

    /**
     * Takes a group's report: its sums, if they are of the current step and new, and its request for
     * the next order, answered through {@code reply} now or once {@link #publish}ed. A report of an
     * older segment or attempt, or not of ours, is answered with STOP and otherwise ignored.
     */
    void onReport(StepReport report, SparkInternals.Reply reply) {
        synchronized (lock) {
            if (report.segment() != segment || report.stageAttempt() < attempt || !tasks.valid(report)) {
                reply.send(StepOrder.STOP.toWire());
                return;
            }
            int lead = report.lead();
            if (report.stageAttempt() > attempt) {
                attempt = report.stageAttempt();
                forgetTasks();
                forgetSums();
                lock.notifyAll();
            }
            int[] members = report.partitions();
            tasks.record(report);
            if (report.sums() != null && current != null && report.step() == current.step() && !anyCovered(members)) {
                received[lead] = report.sums();
                for (int p : members) {
                    covered[p] = true;
                }
                receivedCount += members.length;
                taskNanos += report.taskNanos();
                lock.notifyAll();
            }
            if (current != null && (current.stop() || received[lead] == null)) {
                markStopped(current, members);
                reply.send(current.toWire());
                return;
            }
            release(lead); // a second group of this attempt and partition cannot be live; keep the newest
            parked[lead] = reply;
            parkedMembers[lead] = members;
        }
    }

    private boolean anyCovered(int[] members) {
        for (int p : members) {
            if (covered[p]) {
                return true;
            }
        }
        return false;
    }

    private void release(int p) {
        if (parked[p] != null) {
            parked[p].send(StepOrder.STOP.toWire());
            parked[p] = null;
        }
    }

    private void markStopped(StepOrder order, int[] members) {
        if (order.stop()) {
            for (int p : members) {
                stopped[p] = true;
            }
        }
    }

    /** Whether every partition's task of the current attempt has been told to stop (its barrier stage is done). */
    boolean allStopped() {
        synchronized (lock) {
            for (boolean s : stopped) {
                if (!s) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Releases every parked task and forgets which tasks report for which partition (under {@link #lock}). */
    private void forgetTasks() {
        stopped = new boolean[partitions];
        tasks.forget();
        for (int p = 0; p < partitions; p++) {
            release(p);
        }
    }

    /** Starts segment {@code segment}: the previous order is forgotten; tasks that ask before {@link #publish} wait. */
    void reset(int segment) {
        synchronized (lock) {
            forgetTasks();
            this.segment = segment;
            attempt = 0;
            kills = 0;
            current = null;
            forgetSums();
        }
    }

    /** Forgets the sums received for the current step (under {@link #lock}). */
    private void forgetSums() {
        received = new GradientSums[partitions];
        covered = new boolean[partitions];
        receivedCount = 0;
    }

    /** Makes {@code order} the current one and answers the tasks waiting for it. */
    void publish(StepOrder order) {
        synchronized (lock) {
            current = order;
            forgetSums();
            Object[] wire = order.toWire();
            for (int p = 0; p < partitions; p++) {
                if (parked[p] != null) {
                    markStopped(order, parkedMembers[p]);
                    parked[p].send(wire);
                    parked[p] = null;
                }
            }
        }
    }

    /**
     * Waits until every partition's sums of the current step are in and returns them, one per
     * reporting group (executor) in the order of the groups' lowest partitions: each a sum over the
     * sampled rows of that group's partitions.
     *
     * @param job          the resident tasks' Spark job: if it ends first, the run fails
     * @param boundMillis  how long to wait for this step's sums
     * @param startMillis  how long to wait after a retried stage starts (its tasks read their partitions first)
     * @param retries      how many times in a segment a late partition's task is killed (each
     *                     kill retries the stage) before the run fails
     * @throws RunFailure naming the step, the late partition and its executor
     * @throws StarvedSegment     when the segment's stage cannot start for want of task slots
     */
    GradientSums[] awaitSums(Future<?> job, long boundMillis, long startMillis, int retries, TaskKiller killer) {
        synchronized (lock) {
            long step = current.step();
            long deadline = now() + boundMillis;
            long bound = boundMillis;
            int seenAttempt = attempt;
            boolean waitedForStart = false;
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
                    late = tasks.late(step, bound, covered);
                    List<Long> stuck = tasks.lateTasks(covered);
                    if (stuck.isEmpty() && !waitedForStart) {
                        // no task has reported: they may have only just got their slots (another
                        // job held them), so they get a start bound of their own
                        waitedForStart = true;
                        deadline = now + startMillis;
                        bound = startMillis;
                        continue;
                    }
                    if (killer.starved(stuck.isEmpty())) {
                        throw new StarvedSegment(late);
                    }
                    if (kills >= retries || stuck.isEmpty()) {
                        throw new RunFailure(late + (kills > 0 ? "; the stage was retried " + kills + " times" : "")
                                + "; set " + MinibatchSettings.STEP_TIMEOUT + " to wait longer");
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
            List<GradientSums> parts = new ArrayList<>();
            for (GradientSums g : received) {
                if (g != null) {
                    parts.add(g);
                }
            }
            return parts.toArray(GradientSums[]::new);
        }
    }

    /** Whether the current segment's stage has been retried (a task failed, an executor was lost). */
    boolean retried() {
        synchronized (lock) {
            return attempt > 0;
        }
    }

    /** The tasks' time (summed over tasks) to sample and compute the accepted sums since the last call. */
    long takeTaskNanos() {
        synchronized (lock) {
            long t = taskNanos;
            taskNanos = 0;
            return t;
        }
    }

    /** The current attempt's groups: which partitions' sums each executor sends, e.g. {@code executor 1: [0, 2]}. */
    String groups() {
        synchronized (lock) {
            return tasks.groups();
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
        return new RunFailure(why + ": " + UserError.firstLine(cause), cause);
    }
}
