package minibatch.bench;

import java.lang.management.ManagementFactory;

/** The driver's used heap after a full collection, to show it does not grow with the run. */
final class DriverHeap {
    private DriverHeap() {
    }

    static double usedAfterGcMb() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return Math.round(memory.getHeapMemoryUsage().getUsed() / 1e4) / 100.0;
    }
}
