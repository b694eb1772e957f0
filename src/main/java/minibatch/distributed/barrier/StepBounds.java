package minibatch.distributed.barrier;

import java.util.Arrays;
import minibatch.distributed.MinibatchSettings;
import org.apache.spark.sql.RuntimeConfig;

/**
 * How long the resident steps wait before they call a partition stuck, derived from the run.
 * The settings are read from the session's configuration ({@link MinibatchSettings}).
 *
 * <ul>
 *   <li>A step: {@code spark.minibatch.stepTimeout} when set, otherwise 50 × the median of the
 *       recent steps' exchange times, at least 10 s, at most {@code spark.network.timeout}.</li>
 *   <li>A segment's first step, and the first step after a retried stage: tasks start and read
 *       their partition first, so {@code spark.network.timeout} (120 s unless set), or
 *       {@code spark.minibatch.stepTimeout} when that is set (it bounds every wait).</li>
 *   <li>Task slots for a segment's stage (executors registering or replaced, another job's tasks
 *       ending): 30 s, or {@code spark.minibatch.stepTimeout} when that is set.</li>
 *   <li>A task waiting for its next order: the start bound plus {@code spark.network.timeout};
 *       it matters only when the driver is gone, since a live driver kills a stuck task first.</li>
 * </ul>
 */
final class StepBounds {
    static final long FLOOR_MILLIS = 10_000;
    static final int MEDIAN_MULTIPLE = 50;
    static final long SLOT_WAIT_MILLIS = 30_000;
    private static final int WINDOW = 64;

    private final Long fixedMillis;
    private final long networkMillis;
    private final long[] recent = new long[WINDOW];
    private int recorded;
    private long derivedMillis = FLOOR_MILLIS;

    /**
     * @param fixedMillis   the step bound, or null to derive it from the run
     * @param networkMillis Spark's network timeout
     */
    StepBounds(Long fixedMillis, long networkMillis) {
        this.fixedMillis = fixedMillis;
        this.networkMillis = networkMillis;
    }

    /** The bounds {@code conf} asks for. */
    static StepBounds of(RuntimeConfig conf) {
        long network = MinibatchSettings.networkTimeoutMillis(conf);
        return new StepBounds(MinibatchSettings.stepTimeoutMillis(conf), network);
    }

    /** Records one step's exchange time (publish to all sums in); the median is refreshed every 64 steps. */
    void record(long nanos) {
        recent[recorded++ % WINDOW] = nanos;
        if (recorded % WINDOW == 0) {
            long[] sorted = recent.clone();
            Arrays.sort(sorted);
            long median = sorted[WINDOW / 2] / 1_000_000;
            derivedMillis = Math.min(networkMillis, Math.max(FLOOR_MILLIS, MEDIAN_MULTIPLE * median));
        }
    }

    /** The driver's wait for every partition's sums of a step that follows another in the same segment. */
    long stepMillis() {
        return fixedMillis != null ? fixedMillis : derivedMillis;
    }

    /** The driver's wait for a segment's first step, or after a retried stage. */
    long startMillis() {
        return fixedMillis != null ? fixedMillis : Math.max(networkMillis, derivedMillis);
    }

    /** The wait for free task slots before a segment starts without them, or the steps fall back. */
    long slotWaitMillis() {
        return fixedMillis != null ? fixedMillis : SLOT_WAIT_MILLIS;
    }

    /** How long a task waits for its next order. */
    long taskWaitMillis() {
        return startMillis() + networkMillis;
    }

    /** The wait at the end of a segment for its job to end. */
    long endMillis() {
        return startMillis();
    }
}
