package minibatch.distributed.barrier;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import minibatch.distributed.profile.DriverTraffic;

/**
 * The driver's endpoint for resident steps, reached over Spark's RPC ({@link SparkInternals}) or
 * directly from tasks in the driver's JVM ({@link SameJvmEndpoints}): it decodes what tasks send,
 * hands step reports to the {@link StepCoordinator}, counts the step messages both ways
 * ({@link #traffic()}), and keeps the executors' {@link BlasReport}s.
 */
final class StepMessages implements SparkInternals.Handler {
    private final StepCoordinator coordinator;
    private final DriverTraffic traffic = new DriverTraffic();
    /** "executor E: name" of every executor that reported its BLAS. */
    private final SortedSet<String> blas = new TreeSet<>();

    StepMessages(StepCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void receive(Object message, SparkInternals.Reply reply) {
        Object[] wire = (Object[]) message;
        if (BlasReport.isWire(wire)) {
            synchronized (blas) {
                blas.add(BlasReport.fromWire(wire).line());
            }
            reply.send(new Object[0]);
            return;
        }
        traffic.received(WireBytes.of(wire));
        coordinator.onReport(StepReport.fromWire(wire), answer -> {
            traffic.sent(WireBytes.of((Object[]) answer));
            reply.send(answer);
        });
    }

    /** The step reports received and the orders sent, with their bytes ({@link WireBytes}). */
    DriverTraffic traffic() {
        return traffic;
    }

    /** The BLAS of every executor that reported one ({@code executor 1: JNIBLAS}), sorted. */
    List<String> executorBlas() {
        synchronized (blas) {
            return List.copyOf(blas);
        }
    }
}
