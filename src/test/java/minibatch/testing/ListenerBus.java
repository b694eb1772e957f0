package minibatch.testing;

import java.util.function.BooleanSupplier;

/**
 * Spark delivers listener events on its own thread, some time after they happen: a test that reads
 * what a {@code SparkListener} collected waits for the events it needs first.
 */
public final class ListenerBus {
    private ListenerBus() {
    }

    /** Waits up to 30 s for {@code delivered} to hold (the caller's assertion then says whether it did). */
    public static void awaitUntil(BooleanSupplier delivered) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!delivered.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
