package minibatch.distributed.barrier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task in the driver's JVM calls a registered handler on its own thread, and the handler's reply completes its future. */
class SameJvmEndpointsTest {
    @Test
    void theHandlerRunsOnTheCallersThreadAndItsReplyIsTheAnswer() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<SparkInternals.Reply> later = new AtomicReference<>();
        SparkInternals.Served served = SameJvmEndpoints.register("test-endpoint-a", (message, reply) -> {
            ranOn.set(Thread.currentThread());
            if ("now".equals(message)) {
                reply.send("answered " + message);
            } else {
                later.set(reply);
            }
        });
        try {
            assertNull(SameJvmEndpoints.find("test-endpoint-b"), "another name is not served here");
            SparkInternals.DriverLink link = SameJvmEndpoints.find("test-endpoint-a");
            assertEquals("answered now", link.ask("now", 10_000).get(1, TimeUnit.SECONDS));
            assertSame(Thread.currentThread(), ranOn.get());

            CompletableFuture<Object> parked = link.ask("later", 10_000);
            assertFalse(parked.isDone(), "no reply yet");
            later.get().send("sent from another thread");
            assertEquals("sent from another thread", parked.get(1, TimeUnit.SECONDS));

            var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> link.ask("never", 50).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TimeoutException, "an unanswered message fails after its timeout");
        } finally {
            served.close();
        }
        assertNull(SameJvmEndpoints.find("test-endpoint-a"), "closed: tasks go through Spark's RPC");
    }
}
