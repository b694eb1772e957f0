package minibatch.distributed.barrier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which tasks report for which partitions in the current stage attempt, as the
 * {@link StepCoordinator} learns it from their reports: each partition's task id (to kill a late
 * one) and executor (to name it), and each executor's group. Not thread-safe: the coordinator
 * calls it under its lock.
 */
final class ReportingTasks {
    private final int partitions;
    private final long[] taskIds;
    private final String[] executors;
    /** By lowest partition: the latest report's executor and partitions. */
    private final SortedMap<Integer, String> groups = new TreeMap<>();

    ReportingTasks(int partitions) {
        this.partitions = partitions;
        this.taskIds = new long[partitions];
        this.executors = new String[partitions];
        forget();
    }

    /** Partitions in range, ascending, at least one, a task id each (anything else is not a report of ours). */
    boolean valid(StepReport report) {
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

    /** Remembers who sent {@code report} (a {@link #valid} one) for its partitions. */
    void record(StepReport report) {
        int[] members = report.partitions();
        groups.put(report.lead(), "executor " + report.executor() + ": " + Arrays.toString(members));
        for (int i = 0; i < members.length; i++) {
            taskIds[members[i]] = report.taskIds()[i];
            executors[members[i]] = report.executor();
        }
    }

    /** Forgets every task: a new segment or stage attempt starts. */
    void forget() {
        groups.clear();
        Arrays.fill(taskIds, -1);
        Arrays.fill(executors, null);
    }

    /** The task ids of the partitions not {@code covered} whose task has reported. */
    List<Long> lateTasks(boolean[] covered) {
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (!covered[p] && taskIds[p] >= 0) {
                ids.add(taskIds[p]);
            }
        }
        return ids;
    }

    /**
     * "step S: partition P (executor E) sent no sums within X s", naming every partition not
     * {@code covered} once, grouped by executor ("partitions 0, 2 (executor 1)"), as an executor's
     * tasks report together.
     */
    String late(long step, long boundMillis, boolean[] covered) {
        Map<String, List<String>> byExecutor = new LinkedHashMap<>();
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

    /** The groups: which partitions' sums each executor sends, e.g. {@code executor 1: [0, 2]}. */
    String groups() {
        return String.join("; ", groups.values());
    }
}
