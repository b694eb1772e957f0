package minibatch.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import minibatch.data.LabeledImage;
import minibatch.nn.NetworkShape;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import org.apache.spark.util.random.BernoulliSampler;
import org.apache.spark.util.random.GapSampling;
import org.apache.spark.util.random.PoissonSampler;
import org.apache.spark.util.random.RandomSampler;
import org.apache.spark.util.random.RandomSampler$;
import scala.collection.Iterator;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * One barrier-mode task: it stays up for many steps over its partition's cached rows. Each step
 * it asks the driver for the step's order, samples its rows with Spark's own sampler exactly as
 * {@code RDD.sample} does for this partition (a fresh {@link BernoulliSampler}, or its
 * {@link GapSampling}, or {@link PoissonSampler} at the fraction, seeded with the partition's
 * seed, deciding every row; the next step's batch is drawn while the driver works on this step's
 * sums), sums the loss and
 * gradient over the sampled rows with {@link PartitionGradient}, and sends the sums with its next
 * request. It returns the number of steps it computed.
 */
final class ResidentStepTask extends AbstractFunction1<Iterator<LabeledImage>, Iterator<Long>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ClassTag<Object> WIRE = ClassTag$.MODULE$.apply(Object.class);
    private static final ClassTag<LabeledImage> ROW = ClassTag$.MODULE$.apply(LabeledImage.class);
    /** What Spark's RpcUtils.INFINITE_TIMEOUT was (4.2.0 removed it): the driver answers when it has the next weights. */
    private static final RpcTimeout NO_TIMEOUT = new RpcTimeout(FiniteDuration.apply(Integer.MAX_VALUE, TimeUnit.MILLISECONDS),
            "no timeout");

    private final String endpointName;
    private final NetworkShape shape;
    private final double fraction;
    private final boolean withReplacement;
    private final double dropout;

    /**
     * @param fraction Bernoulli probability, or Poisson mean, of every row (as given to {@code RDD.sample})
     */
    ResidentStepTask(String endpointName, NetworkShape shape, double fraction, boolean withReplacement, double dropout) {
        this.endpointName = endpointName;
        this.shape = shape;
        this.fraction = fraction;
        this.withReplacement = withReplacement;
        this.dropout = dropout;
    }

    @Override
    public Iterator<Long> apply(Iterator<LabeledImage> partitionRows) {
        int partition = TaskContext.getPartitionId();
        // references to the cached objects, in the cached order, which RDD.sample walks too
        List<LabeledImage> cached = new ArrayList<>();
        while (partitionRows.hasNext()) {
            cached.add(partitionRows.next());
        }
        LabeledImage[] rows = cached.toArray(LabeledImage[]::new);
        TaskContext context = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef driver = RpcUtils.makeDriverRef(endpointName, env.conf(), env.rpcEnv());
        StepReport report = new StepReport(partition, -1, null, 0L);
        StepOrder order = null;
        long steps = 0;
        while (true) {
            // the driver answers as soon as it has the next weights, and ends the job with STOP
            var answer = driver.ask(report.toWire(), NO_TIMEOUT, WIRE);
            long t0 = System.nanoTime();
            // the next batch depends only on its seed: draw it while the driver adds and updates
            Batch next = order != null && order.hasNext() ? sample(order.nextPartitionSeed(partition), rows) : null;
            long prepared = System.nanoTime() - t0;
            order = StepOrder.fromWire(await(answer, context));
            if (order.stop()) {
                return scala.collection.Iterator$.MODULE$.single(steps);
            }
            long t1 = System.nanoTime();
            long seed = order.partitionSeed(partition);
            Batch batch = next != null && next.seed() == seed ? next : sample(seed, rows);
            var sums = new PartitionGradient(shape, order.params(), dropout, order.dropoutSeed())
                    .apply(partition, batch.rows().iterator());
            report = new StepReport(partition, order.step(), sums, prepared + System.nanoTime() - t1);
            steps++;
        }
    }

    /** The rows Spark's sampler keeps for {@code seed}. */
    private record Batch(long seed, List<LabeledImage> rows) {
    }

    private Batch sample(long seed, LabeledImage[] rows) {
        return new Batch(seed, sample(withReplacement, fraction, seed, rows));
    }

    /**
     * The rows a fresh Spark sampler at {@code fraction}, seeded with {@code seed}, keeps of
     * {@code rows}, in order: what {@code RDD.sample} gets for a partition, made the same way (one
     * {@code sample()} per row, keeping the row that many times: Bernoulli 0 or 1, Poisson 0, 1,
     * 2, ...). A plain loop over an array instead of Scala's filter and flatMap iterators is what
     * keeps a step's cost nearly flat in the partition's size (BENCHMARKS.md).
     * {@code BarrierStepsTest} compares it with Spark's own {@code sample(items)}.
     */
    static List<LabeledImage> sample(boolean withReplacement, double fraction, long seed, LabeledImage[] rows) {
        List<LabeledImage> batch = new ArrayList<>();
        if (!withReplacement && fraction > 0 && fraction <= RandomSampler$.MODULE$.defaultMaxGapSamplingFraction()) {
            // BernoulliSampler at such a fraction asks its GapSampling about every row; asking it
            // directly (the same rng class, seeded the same way) skips the sampler's per-row checks
            // and lazy-field read: half the cost per row
            Random rng = RandomSampler$.MODULE$.newDefaultRNG();
            rng.setSeed(seed);
            GapSampling gaps = new GapSampling(fraction, rng, RandomSampler$.MODULE$.rngEpsilon());
            for (LabeledImage row : rows) {
                if (gaps.sample() > 0) {
                    batch.add(row);
                }
            }
            return batch;
        }
        RandomSampler<LabeledImage, LabeledImage> sampler = withReplacement
                ? new PoissonSampler<>(fraction) : new BernoulliSampler<>(fraction, ROW);
        sampler.setSeed(seed);
        for (LabeledImage row : rows) {
            for (int k = sampler.sample(); k > 0; k--) {
                batch.add(row);
            }
        }
        return batch;
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
