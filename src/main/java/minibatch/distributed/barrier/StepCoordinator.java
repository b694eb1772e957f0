package minibatch.distributed.barrier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import minibatch.RunFailure;
import minibatch.UserError;
import minibatch.distributed.sums.GradientSums;

/**
 * The driver's end of barrier-mode training, served over Spark's RPC ({@link SparkInternals}).
 * The resident tasks of each executor ask, through their leading task ({@link ExecutorGroup}),
 * with one {@link StepReport} that covers all their partitions and are answered with the current
 * {@link StepOrder}; a group that has already reported the current step is parked until the
 * driver publishes the next one.
 *
 * <p>Every report names its segment and stage attempt. Reports of an older segment or attempt
 * (a zombie task of a killed attempt, which notices the kill only later) are answered with STOP
 * and otherwise ignored; the first report of a newer attempt releases the older attempt's parked
 * tasks and drops the current step's sums received so far, since the new attempt's tasks may be
 * grouped differently (they compute the step again). Sums are accepted once per partition and
 * step.
 *
 * <p>The driver's wait for a step's sums is bounded ({@link #awaitSums}): when a partition is late,
 * its task is killed, which makes Spark retry the whole barrier stage; when retries run out, the
 * run fails with one message naming the step, the partition and the executor.
 */
public final class StepCoordinator implements SparkInternals.Handler {
    /** Kills a task attempt by Spark's task id. */
    interface TaskKiller {
        void kill(long taskId, String reason);
    }

    private final int partitions;
    private final Object lock = new Object();
    /** By the lowest partition of the reporting group: its parked reply. */
    private final SparkInternals.Reply[] parked;
    private final long[] taskIds;
    private final String[] executors;
    private int segment = -1;
    private int attempt;
    private StepOrder current;
    /** By the lowest partition of the reporting group: that group's sums of the current step. */
    private GradientSums[] received;
    /** By partition: whether some group's sums of the current step include it. */
    private boolean[] covered;
    private int receivedCount;
    private long taskNanos;
    private long ignored;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    /** By lowest partition: the latest report's executor and partitions. */
    private final java.util.SortedMap<Integer, String> groups = new java.util.TreeMap<>();
    /** "executor E: name" of every executor that reported its BLAS. */
    private final java.util.SortedSet<String> blas = new java.util.TreeSet<>();

    StepCoordinator(int partitions) {
        this.partitions = partitions;
        this.parked = new SparkInternals.Reply[partitions];
        this.taskIds = new long[partitions];
        this.executors = new String[partitions];
        this.received = new GradientSums[partitions];
        this.covered = new boolean[partitions];
    }

    @Override
    public void receive(Object message, SparkInternals.Reply reply) {
        Object[] wire = (Object[]) message;
        StepReport report = StepReport.fromWire(wire);
        synchronized (lock) {
            messagesIn++;
            bytesIn += WireBytes.of(wire);
        }
        onReport(report, reply);
    }

    void onReport(StepReport report, SparkInternals.Reply reply) {
        synchronized (lock) {
            if (report.segment() != segment || report.stageAttempt() < attempt || !valid(report)) {
                ignored++;
                send(reply, StepOrder.STOP);
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
            groups.put(lead, "executor " + report.executor() + ": " + java.util.Arrays.toString(members));
            if (report.blas() != null) {
                blas.add("executor " + report.executor() + ": " + report.blas());
            }
            for (int i = 0; i < members.length; i++) {
                taskIds[members[i]] = report.taskIds()[i];
                executors[members[i]] = report.executor();
            }
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
                send(reply, current);
                return;
            }
            release(lead); // a second group of this attempt and partition cannot be live; keep the newest
            parked[lead] = reply;
        }
    }

    /** Partitions in range, ascending, at least one, a task id each (anything else is not a report of ours). */
    private boolean valid(StepReport report) {
        int[] members = report.partitions();
        if (members == null || members.length == 0 || members[0] < 0 || members[members.length - 1] >= partitions
                || report.taskIds() == null || report.taskIds().length != members.length) {
            return false;
        }
        for (int i = 1; i < members.length; i++) {
            if (members[i] <= members[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private boolean anyCovered(int[] members) {
        for (int p : members) {
            if (covered[p]) {
                return true;
            }
        }
        return false;
    }

    /** Sends {@code order} and counts it (under {@link #lock}). */
    private void send(SparkInternals.Reply reply, StepOrder order) {
        messagesOut++;
        Object[] wire = order.toWire();
        bytesOut += WireBytes.of(wire);
        reply.send(wire);
    }

    private void release(int p) {
        if (parked[p] != null) {
            send(parked[p], StepOrder.STOP);
            parked[p] = null;
        }
    }

    /** Releases every parked task and forgets which tasks report for which partition (under {@link #lock}). */
    private void forgetTasks() {
        groups.clear();
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
            for (int p = 0; p < partitions; p++) {
                if (parked[p] != null) {
                    send(parked[p], order);
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
            List<GradientSums> parts = new ArrayList<>();
            for (GradientSums g : received) {
                if (g != null) {
                    parts.add(g);
                }
            }
            return parts.toArray(GradientSums[]::new);
        }
    }

    /**
     * "step S: partition P (executor E) sent no sums within X s", naming every late partition once,
     * grouped by executor ("partitions 0, 2 (executor 1)"), as an executor's tasks report together.
     */
    private String late(long step, long boundMillis) {
        java.util.Map<String, List<String>> byExecutor = new java.util.LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            if (!covered[p]) {
                String where = executors[p] == null ? "no task of this attempt has reported"
                        : "executor " + executors[p];
                byExecutor.computeIfAbsent(where, k -> new ArrayList<>()).add(Integer.toString(p));
            }
        }
        List<String> who = new ArrayList<>();
        byExecutor.forEach((where, ps) -> who.add((ps.size() == 1 ? "partition " : "partitions ")
                + String.join(", ", ps) + " (" + where + ")"));
        return "step " + step + ": " + String.join("; ", who) + " sent no sums within "
                + String.format(java.util.Locale.ROOT, "%.1f", boundMillis / 1000.0) + " s";
    }

    private List<Long> lateTasks() {
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (!covered[p] && taskIds[p] >= 0) {
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

    /**
     * The messages and their bytes (as Java serialization sends them between JVMs, {@link WireBytes})
     * since the last call: {@code [messages in, bytes in, messages out, bytes out]}. In {@code local}
     * mode the messages stay in the JVM and these are what they would weigh on a network.
     */
    long[] takeTraffic() {
        synchronized (lock) {
            long[] t = {messagesIn, bytesIn, messagesOut, bytesOut};
            messagesIn = bytesIn = messagesOut = bytesOut = 0;
            return t;
        }
    }

    /** The current attempt's groups: which partitions' sums each executor sends, e.g. {@code executor 1: [0, 2]}. */
    String groups() {
        synchronized (lock) {
            return String.join("; ", groups.values());
        }
    }

    /** The BLAS of every executor that reported one ({@code executor 1: JNIBLAS}), sorted. */
    java.util.List<String> executorBlas() {
        synchronized (lock) {
            return java.util.List.copyOf(blas);
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
