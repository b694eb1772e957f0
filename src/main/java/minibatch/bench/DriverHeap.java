package minibatch.bench;

import java.lang.management.ManagementFactory;

/** The driver's used heap after a full collection, to show it does not grow with the run. */
final class DriverHeap {
    private static final int MAX_ROUNDS = 10;
    private static final long PAUSE_MILLIS = 500;

    private DriverHeap() {
    }

    /**
     * Used heap in MB once it stops falling between full collections. One collection is not
     * enough: blocks of collected broadcasts (every step's task binary) stay in the block manager
     * until Spark's ContextCleaner thread removes them after the collection (measured: 131 MB after
     * one collection, 51 MB once the cleaner had run).
     */
    static double usedAfterGcMb() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < MAX_ROUNDS; i++) {
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            memory.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            boolean settled = now > used - (1L << 20);
            used = Math.min(used, now);
            if (settled) {
                break;
            }
        }
        return Math.round(used / 1e4) / 100.0;
    }
}
