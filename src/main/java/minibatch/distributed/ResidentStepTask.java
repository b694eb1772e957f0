package minibatch.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import minibatch.data.FrameLayout;
import minibatch.data.LabeledImage;
import minibatch.nn.NetworkShape;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.sql.Row;
import org.apache.spark.util.RpcUtils;
import scala.collection.Iterator;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * One resident task: it stays up for many steps over its partition of the cached DataFrame,
 * read once when the task starts. Each step it asks the driver for the step's order, takes the
 * rows {@code Dataset.sample} would give this partition for the step's seed
 * ({@link PartitionSampler}: Spark's own sampler, seeded as {@code SampleExec} seeds it), sums the
 * loss and gradient over them with {@link PartitionGradient}, and sends the sums with its next
 * request. While it waits for the driver it draws the batches of the next steps, whose seeds the
 * order carries. It returns the number of steps it computed.
 */
final class ResidentStepTask extends AbstractFunction1<Iterator<Row>, Iterator<Long>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ClassTag<Object> WIRE = ClassTag$.MODULE$.apply(Object.class);
    /** What Spark's RpcUtils.INFINITE_TIMEOUT was (4.2.0 removed it): the driver answers when it has the next weights. */
    private static final RpcTimeout NO_TIMEOUT = new RpcTimeout(FiniteDuration.apply(Integer.MAX_VALUE, TimeUnit.MILLISECONDS),
            "no timeout");

    /** Rows decided between two looks at whether the driver has answered (~10 µs of drawing). */
    private static final int DRAW_PIECE = 2048;

    private final String endpointName;
    private final NetworkShape shape;
    private final FrameLayout layout;
    private final PartitionSampler sampler;
    private final double dropout;

    ResidentStepTask(String endpointName, NetworkShape shape, FrameLayout layout, PartitionSampler sampler,
                     double dropout) {
        this.endpointName = endpointName;
        this.shape = shape;
        this.layout = layout;
        this.sampler = sampler;
        this.dropout = dropout;
    }

    @Override
    public Iterator<Long> apply(Iterator<Row> partitionRows) {
        int partition = TaskContext.getPartitionId();
        // the partition's rows, decoded once, in the cached order that Dataset.sample walks too
        List<LabeledImage> cached = new ArrayList<>();
        while (partitionRows.hasNext()) {
            cached.add(layout.decode(partitionRows.next()));
        }
        LabeledImage[] rows = cached.toArray(LabeledImage[]::new);
        TaskContext context = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef driver = RpcUtils.makeDriverRef(endpointName, env.conf(), env.rpcEnv());
        StepReport report = new StepReport(partition, -1, null, 0L);
        StepOrder order = null;
        Map<Long, PartitionSampler.Draw<LabeledImage>> drawn = new HashMap<>(); // batches drawn early, by step
        long steps = 0;
        while (true) {
            // the driver answers as soon as it has the next weights, and ends the job with STOP
            var answer = driver.ask(report.toWire(), NO_TIMEOUT, WIRE);
            long t0 = System.nanoTime();
            if (order != null) {
                drawAhead(order, partition, rows, drawn, answer);
            }
            long ahead = System.nanoTime() - t0;
            order = StepOrder.fromWire(await(answer, context));
            if (order.stop()) {
                return scala.collection.Iterator$.MODULE$.single(steps);
            }
            long t1 = System.nanoTime();
            long step = order.step();
            drawn.keySet().removeIf(s -> s < step);
            PartitionSampler.Draw<LabeledImage> early = drawn.remove(step);
            List<LabeledImage> batch = early != null ? early.finish() : sampler.sample(order.sampleSeed(), partition, rows);
            var sums = new PartitionGradient(shape, order.params(), dropout, order.dropoutSeed())
                    .apply(partition, batch.iterator());
            report = new StepReport(partition, step, sums, ahead + System.nanoTime() - t1);
            steps++;
        }
    }

    /**
     * Draws the batches of the next steps while the driver has not answered, a piece at a time so
     * that an answer waits at most one piece: a batch depends only on its step's seed, and drawing
     * it is one random number per cached row.
     */
    private void drawAhead(StepOrder order, int partition, LabeledImage[] rows,
                           Map<Long, PartitionSampler.Draw<LabeledImage>> drawn, scala.concurrent.Future<Object> answer) {
        for (int i = 0; i < order.ahead() && !answer.isCompleted(); i++) {
            long seed = order.aheadSeed(i);
            PartitionSampler.Draw<LabeledImage> draw = drawn.computeIfAbsent(order.step() + 1 + i,
                    s -> sampler.draw(seed, partition, rows));
            while (!draw.done() && !answer.isCompleted()) {
                draw.advance(DRAW_PIECE);
            }
        }
    }

    /**
     * Waits for the driver's answer, checking every second whether Spark killed this task: when a
     * barrier stage attempt fails, Spark marks its other tasks killed without interrupting them,
     * and the retried attempt needs their task slots.
     */
    private static Object await(scala.concurrent.Future<Object> answer, TaskContext context) {
        CompletableFuture<Object> future = FutureConverters.asJava(answer).toCompletableFuture();
        while (true) {
            try {
                return future.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                context.killTaskIfInterrupted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                context.killTaskIfInterrupted();
                throw new IllegalStateException("interrupted while waiting for the driver's next step", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the driver's step coordinator did not answer", e.getCause());
            }
        }
    }
}
