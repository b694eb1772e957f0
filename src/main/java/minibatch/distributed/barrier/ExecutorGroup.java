package minibatch.distributed.barrier;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import minibatch.distributed.sums.GradientSums;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.TaskKilledException;

/**
 * The resident tasks of one barrier stage attempt that run in one executor JVM. The task of the
 * lowest partition leads: it alone talks to the driver, hands each {@link StepOrder} (one copy of
 * the weights) to the others, and sends the group's sums as one message. Traffic therefore grows
 * with executors, not with tasks.
 *
 * <p>The group's sums are its members' sums added in ascending partition order
 * ({@link GradientSums#total}), so that the driver's total over the groups, in the order of their
 * lowest partitions, is the total over all partitions in partition order whenever the group of
 * partition 0 holds partitions {@code 0..k} and every other group holds one partition: always in
 * {@code local} mode (one JVM), with two partitions, and with one-core executors.
 */
final class ExecutorGroup {
    /** The groups of this JVM by {@link Key}; a group leaves when its last member has left. */
    private static final Map<Key, ExecutorGroup> GROUPS = new ConcurrentHashMap<>();

    /**
     * Names a group: stage attempt {@code stageAttempt} of segment {@code segment} of the driver
     * endpoint {@code endpoint}; {@code partition} is -1 for an executor's group, else the one
     * partition of a task that sends for itself ({@code spark.minibatch.partialSums=task}).
     */
    record Key(String endpoint, int segment, int stageAttempt, int partition) {
        /** True if this names an older segment or stage attempt of the same endpoint than {@code other}. */
        boolean olderThan(Key other) {
            return endpoint.equals(other.endpoint) && (segment < other.segment
                    || segment == other.segment && stageAttempt < other.stageAttempt);
        }
    }

    private final Key key;
    private final int[] members;
    private final long[] taskIds;
    private final GradientSums[] sums;
    private final long[] nanos;
    private int joined;
    private int left;
    private long sumsStep = Long.MIN_VALUE;
    private int sumsIn;
    private StepOrder order;
    private CompletableFuture<StepOrder> next = new CompletableFuture<>();

    private ExecutorGroup(Key key, int[] members) {
        this.key = key;
        this.members = members;
        this.taskIds = new long[members.length];
        this.sums = new GradientSums[members.length];
        this.nanos = new long[members.length];
    }

    /** The key of an executor's group ({@link Key}). */
    static Key key(String endpoint, int segment, int stageAttempt) {
        return new Key(endpoint, segment, stageAttempt, -1);
    }

    /** The key of a group of one task that sends for itself ({@link Key}). */
    static Key key(String endpoint, int segment, int stageAttempt, int partition) {
        return new Key(endpoint, segment, stageAttempt, partition);
    }

    /**
     * The partitions, ascending, whose tasks run on the same executor as {@code partition}'s.
     *
     * @param infos the barrier stage's tasks by partition ({@code BarrierTaskContext.getTaskInfos()}):
     *              each names its executor's {@code host:port}
     */
    static int[] sameExecutor(BarrierTaskInfo[] infos, int partition) {
        String mine = infos[partition].address();
        return java.util.stream.IntStream.range(0, infos.length).filter(p -> infos[p].address().equals(mine)).toArray();
    }

    /**
     * Joins (creating it if this is its first member) the group {@code key} of {@code members}.
     * Creating a group drops the groups of older segments and stage attempts of the same endpoint
     * from the registry: their tasks are ending (and keep their own reference), and one whose
     * member never started would otherwise stay.
     */
    static ExecutorGroup join(Key key, int[] members, int partition, long taskId) {
        ExecutorGroup group = GROUPS.get(key);
        if (group == null) {
            GROUPS.keySet().removeIf(other -> other.olderThan(key));
            ExecutorGroup created = new ExecutorGroup(key, members.clone());
            ExecutorGroup raced = GROUPS.putIfAbsent(key, created);
            group = raced != null ? raced : created;
        }
        if (!Arrays.equals(group.members, members)) {
            throw new IllegalStateException("partition " + partition + ": executor group " + Arrays.toString(members)
                    + " differs from " + Arrays.toString(group.members));
        }
        synchronized (group) {
            group.taskIds[group.index(partition)] = taskId;
            group.joined++;
            group.notifyAll();
        }
        return group;
    }

    /** Leaves the group; the last member to leave removes it from the registry. */
    synchronized void leave() {
        left++;
        if (left >= joined) {
            GROUPS.remove(key, this);
        }
    }

    /** The group's partitions, ascending. */
    int[] members() {
        return members.clone();
    }

    /** True if {@code partition} leads the group (it is the lowest). */
    boolean leads(int partition) {
        return members[0] == partition;
    }

    /** The members' Spark task ids, in member order, once every member has joined. */
    synchronized long[] taskIds(long limitMillis, BooleanSupplier killed) {
        waitUntil(() -> joined >= members.length, limitMillis, killed,
                "partition " + members[0] + ": not every task of this executor's partitions " + Arrays.toString(members)
                        + " started within %.1f s");
        return taskIds.clone();
    }

    /** The leader hands {@code order} to the other members. */
    synchronized void publish(StepOrder order) {
        this.order = order;
        CompletableFuture<StepOrder> waiting = next;
        next = new CompletableFuture<>();
        waiting.complete(order);
    }

    /** The first order after step {@code step} (or STOP), now or once the leader publishes it. */
    synchronized CompletableFuture<StepOrder> orderAfter(long step) {
        StepOrder o = order;
        if (o != null && (o.stop() || o.step() > step)) {
            return CompletableFuture.completedFuture(o);
        }
        return next;
    }

    /** A member's sums of {@code step} ({@code nanos}: its time to sample and compute them). */
    synchronized void put(int partition, long step, GradientSums partial, long taskNanos) {
        if (step != sumsStep) {
            Arrays.fill(sums, null);
            sumsStep = step;
            sumsIn = 0;
        }
        int i = index(partition);
        if (sums[i] == null) {
            sums[i] = partial;
            nanos[i] = taskNanos;
            sumsIn++;
            notifyAll();
        }
    }

    /** The group's sums of {@code step}, waited for. */
    record Total(GradientSums sums, long taskNanos) {
    }

    /**
     * Waits for every member's sums of {@code step}: their total in partition order
     * ({@link GradientSums#total}, sums stay sums), added up only when the report leaves for
     * another JVM ({@link StepReport#toWire}).
     */
    synchronized Total total(long step, long limitMillis, BooleanSupplier killed) {
        waitUntil(() -> sumsStep == step && sumsIn == members.length, limitMillis, killed,
                "partition " + members[0] + ": the sums of step " + step + " from this executor's partitions "
                        + Arrays.toString(members) + " did not all arrive within %.1f s");
        GradientSums total = members.length == 1 ? sums[0] : GradientSums.total(Arrays.asList(sums.clone()));
        long t = 0;
        for (long n : nanos) {
            t += n;
        }
        Arrays.fill(sums, null);
        return new Total(total, t);
    }

    private int index(int partition) {
        int i = Arrays.binarySearch(members, partition);
        if (i < 0) {
            throw new IllegalArgumentException("partition " + partition + " is not in " + Arrays.toString(members));
        }
        return i;
    }

    /** Waits (holding this group's monitor) until {@code done}, at most {@code limitMillis}, looking for kills. */
    private void waitUntil(BooleanSupplier done, long limitMillis, BooleanSupplier killed, String late) {
        long deadline = System.nanoTime() + limitMillis * 1_000_000;
        while (!done.getAsBoolean()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, late, limitMillis / 1000.0));
            }
            if (killed.getAsBoolean()) {
                throw new TaskKilledException("killed while waiting for this executor's other tasks");
            }
            try {
                wait(Math.max(1, Math.min(BarrierStepTask.KILL_CHECK_MILLIS, remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskKilledException("interrupted while waiting for this executor's other tasks");
            }
        }
    }
}
