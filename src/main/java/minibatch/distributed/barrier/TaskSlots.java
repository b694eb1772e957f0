package minibatch.distributed.barrier;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.api.java.JavaFutureAction;

/**
 * The task slots a barrier stage needs, as they are now: all of them ({@link SparkInternals#taskSlots}),
 * the free ones (all minus the tasks of every active stage of the application: another fit's
 * segment, a notebook's job), and the running tasks of one job. The running counts come from
 * Spark's public status tracker, which follows the scheduler's events a moment late, so callers
 * poll ({@link #awaitFree}).
 */
final class TaskSlots {
    private static final long POLL_MILLIS = 100;

    private TaskSlots() {
    }

    /** Every task slot of the live executors. */
    static int total(SparkContext sc) {
        return SparkInternals.taskSlots(sc);
    }

    /** Why a barrier stage of {@code partitions} tasks cannot run on {@code sc}'s executors, or null. */
    static String unavailable(SparkContext sc, int partitions) {
        if (!sc.isLocal() && sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "Spark's barrier stages cannot run with spark.dynamicAllocation.enabled=true";
        }
        int slots = total(sc);
        if (slots < partitions) {
            return "the tasks of all " + partitions + " partitions must run at once, but only " + slots
                    + " task slots are available";
        }
        return null;
    }

    /** The slots no task of this application holds now. */
    static int free(SparkContext sc) {
        SparkStatusTracker tracker = sc.statusTracker();
        int running = 0;
        for (int stage : tracker.getActiveStageIds()) {
            SparkStageInfo info = orNull(tracker.getStageInfo(stage));
            running += info == null ? 0 : info.numActiveTasks();
        }
        return total(sc) - running;
    }

    /** The tasks of {@code job}'s stages that run now. */
    static int running(SparkContext sc, JavaFutureAction<?> job) {
        SparkStatusTracker tracker = sc.statusTracker();
        int running = 0;
        for (int id : job.jobIds()) {
            SparkJobInfo info = orNull(tracker.getJobInfo(id));
            if (info == null) {
                continue;
            }
            for (int stage : info.stageIds()) {
                SparkStageInfo stageInfo = orNull(tracker.getStageInfo(stage));
                running += stageInfo == null ? 0 : stageInfo.numActiveTasks();
            }
        }
        return running;
    }

    /**
     * Waits at most {@code millis} until {@code needed} slots are free.
     *
     * @return whether they are
     */
    static boolean awaitFree(SparkContext sc, int needed, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (free(sc) < needed) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static <T> T orNull(scala.Option<T> option) {
        return option.isEmpty() ? null : option.get();
    }

    /** "2 of 4 task slots free" (for the line a fallback prints). */
    static String describe(SparkContext sc) {
        return free(sc) + " of " + total(sc) + " task slots free";
    }
}
