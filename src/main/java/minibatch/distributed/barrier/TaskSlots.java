package minibatch.distributed.barrier;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;

/**
 * The task slots a barrier stage needs, as they are now: all of them ({@link SparkInternals#taskSlots},
 * from the scheduler's executor list) and the free ones (all minus the tasks of every active stage
 * of the application: another fit's segment, a notebook's job). The running counts come from
 * Spark's public status tracker, which follows the scheduler's events late and may count fewer
 * tasks than run (it writes a running stage's counts at most every 100 ms): the free count is a
 * hint, which {@link #awaitFree} polls, and nothing relies on it alone.
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

    /** Waits at most {@code millis} until the executors have {@code needed} slots in all. */
    static void awaitTotal(SparkContext sc, int needed, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (total(sc) < needed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** "2 of 4 task slots free" (for the line a fallback prints). */
    static String describe(SparkContext sc) {
        return free(sc) + " of " + total(sc) + " task slots free";
    }
}
