package minibatch.distributed;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.spark.SparkException;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import scala.Function1;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The driver's end of barrier-mode training: a Spark RPC endpoint (the same mechanism as Spark's
 * own barrier coordinator, so it uses the driver's RPC port and Spark's authentication and
 * encryption settings). Messages travel in their JDK-only wire forms. Each resident task asks with a {@link StepReport} and is answered with the
 * current {@link StepOrder}; a task that has already reported the current step is parked until the
 * driver publishes the next one.
 *
 * <p>Sums are accepted once per partition and step. A task of a retried stage attempt starts
 * with an empty report and is handed the current order again: its sums are a function of the
 * order and the partition, so whichever attempt reports first gives the same numbers.
 */
final class StepCoordinator implements ThreadSafeRpcEndpoint {
    private final RpcEnv rpcEnv;
    private final int partitions;
    private final Object lock = new Object();
    private final RpcCallContext[] parked;
    private StepOrder current;
    private GradientSums[] received;
    private int receivedCount;
    private long taskNanos;

    StepCoordinator(RpcEnv rpcEnv, int partitions) {
        this.rpcEnv = rpcEnv;
        this.partitions = partitions;
        this.parked = new RpcCallContext[partitions];
        this.received = new GradientSums[partitions];
    }

    @Override
    public RpcEnv rpcEnv() {
        return rpcEnv;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
        return new AbstractPartialFunction<>() {
            @Override
            public boolean isDefinedAt(Object message) {
                return message instanceof Object[];
            }

            @Override
            public <A1, B1> B1 applyOrElse(A1 message, Function1<A1, B1> otherwise) {
                if (!(message instanceof Object[])) {
                    return otherwise.apply(message);
                }
                onReport(StepReport.fromWire(message), context);
                @SuppressWarnings("unchecked")
                B1 unit = (B1) BoxedUnit.UNIT;
                return unit;
            }
        };
    }

    private void onReport(StepReport report, RpcCallContext context) {
        synchronized (lock) {
            int p = report.partition();
            if (report.sums() != null && current != null && report.step() == current.step() && received[p] == null) {
                received[p] = report.sums();
                receivedCount++;
                taskNanos += report.taskNanos();
                lock.notifyAll();
            }
            if (current != null && (current.stop() || received[p] == null)) {
                context.reply(current.toWire());
                return;
            }
            if (parked[p] != null) {
                // a task of an earlier attempt of this partition: release it
                parked[p].reply(StepOrder.STOP.toWire());
            }
            parked[p] = context;
        }
    }

    /** Forgets the previous segment's order: tasks that ask before the next {@link #publish} wait. */
    void reset() {
        synchronized (lock) {
            current = null;
            receivedCount = 0;
            received = new GradientSums[partitions];
        }
    }

    /** Makes {@code order} the current one and answers the tasks waiting for it. */
    void publish(StepOrder order) {
        synchronized (lock) {
            current = order;
            received = new GradientSums[partitions];
            receivedCount = 0;
            for (int p = 0; p < partitions; p++) {
                if (parked[p] != null) {
                    parked[p].reply(order.toWire());
                    parked[p] = null;
                }
            }
        }
    }

    /**
     * Waits until every partition has reported the current step and returns the sums in partition
     * order ({@code [partitions]}, each a sum over that partition's sampled rows).
     *
     * @param job the resident tasks' Spark job: if it ends first, its failure is thrown
     */
    GradientSums[] awaitSums(Future<?> job) {
        synchronized (lock) {
            while (receivedCount < partitions) {
                if (job.isDone()) {
                    throw new IllegalStateException("the barrier training job ended at step " + current.step()
                            + " before every partition reported", failure(job));
                }
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for step " + current.step(), e);
                }
            }
            return received.clone();
        }
    }

    /** The tasks' time (summed over tasks) to sample and compute the accepted sums since the last call. */
    long takeTaskNanos() {
        synchronized (lock) {
            long t = taskNanos;
            taskNanos = 0;
            return t;
        }
    }

    private static Throwable failure(Future<?> job) {
        try {
            job.get();
            return new SparkException("the job finished without error");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
