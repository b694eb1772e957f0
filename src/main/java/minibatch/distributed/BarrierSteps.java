package minibatch.distributed;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import minibatch.UserError;
import minibatch.data.LabeledImage;
import minibatch.nn.NetworkShape;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.rpc.RpcEndpointRef;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Barrier-mode training steps: instead of one Spark job per step, one barrier-stage job per
 * segment of steps (until the next evaluation), whose tasks stay up and exchange each step's
 * weights and sums with the driver over Spark's RPC ({@link StepCoordinator},
 * {@link ResidentStepTask}). A step then costs an RPC round trip instead of a job's scheduling,
 * task-binary broadcast and launch. The mini-batches, the sums and the driver's update are the
 * same as with one job per step ({@code RDD.sample}'s partition seeds and Spark's own samplers),
 * so a run gives the same weights bit for bit.
 *
 * <p>While a segment runs, its tasks hold one task slot per partition; {@link #pause} ends it
 * before any other job (an evaluation) runs, and {@link #close} must be called at the end.
 */
final class BarrierSteps implements AutoCloseable {
    /** Job descriptions of the segments start with this. */
    static final String JOB_DESCRIPTION_PREFIX = "barrier training steps from ";
    private static final ClassTag<Long> LONG = ClassTag$.MODULE$.apply(Long.class);
    private static final long SLOT_WAIT_MILLIS = 30_000;

    private final MiniBatchSampler sampler;
    private final NetworkShape shape;
    private final double dropout;
    private final SparkContext sc;
    private final int partitions;
    private final String endpointName = "minibatch-steps-" + UUID.randomUUID();
    private StepCoordinator coordinator;
    private RpcEndpointRef endpoint;
    private JavaFutureAction<Long> segment;
    private long step;

    BarrierSteps(MiniBatchSampler sampler, NetworkShape shape, double dropout) {
        this.sampler = sampler;
        this.shape = shape;
        this.dropout = dropout;
        this.sc = sampler.rows().all().context();
        this.partitions = sampler.rows().partitions();
    }

    /**
     * The seed {@code RDD.sample(withReplacement, fraction, seed)} gives each partition's sampler
     * ({@code PartitionwiseSampledRDD}: one {@code java.util.Random(seed)}, a {@code nextLong()} per
     * partition in order).
     */
    static long[] partitionSeeds(long seed, int partitions) {
        Random random = new Random(seed);
        long[] seeds = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            seeds[p] = random.nextLong();
        }
        return seeds;
    }

    /**
     * Sums over the mini-batch of {@code seed}, evaluated at {@code params}
     * ({@code [parameterCount]}, not changed here), one part per partition, in partition order.
     * {@code nextSeed} is the next step's sample seed: the tasks draw that batch while the driver
     * works on this step's sums.
     */
    GradientSums[] run(long seed, long nextSeed, long dropoutSeed, double[] params) {
        if (segment == null) {
            start();
        }
        coordinator.publish(new StepOrder(++step, partitionSeeds(seed, partitions), partitionSeeds(nextSeed, partitions),
                dropoutSeed, params));
        return coordinator.awaitSums(segment);
    }

    private void start() {
        if (coordinator == null) {
            checkCluster();
            coordinator = new StepCoordinator(sc.env().rpcEnv(), partitions);
            endpoint = sc.env().rpcEnv().setupEndpoint(endpointName, coordinator);
        }
        coordinator.reset();
        var task = new ResidentStepTask(endpointName, shape, sampler.fraction(), sampler.withReplacement(), dropout);
        RDD<LabeledImage> rows = sampler.rows().all().rdd();
        RDD<Long> resident = rows.barrier().mapPartitions(task, false, LONG);
        sc.setJobDescription(JOB_DESCRIPTION_PREFIX + (step + 1));
        try {
            // The shuffle makes the barrier stage a map stage: Spark retries a failed barrier map stage
            // (all its tasks) but aborts the job when a barrier result stage fails.
            segment = JavaRDD.fromRDD(resident, LONG).repartition(1).countAsync();
        } finally {
            sc.setJobDescription(null);
        }
    }

    /** The tasks' sampling and gradient time, summed over tasks, since the last call. */
    long takeTaskNanos() {
        return coordinator == null ? 0 : coordinator.takeTaskNanos();
    }

    /** Ends the running segment, if any, so that other jobs can use the task slots. */
    void pause() {
        if (segment == null) {
            return;
        }
        JavaFutureAction<Long> ending = segment;
        segment = null;
        coordinator.publish(StepOrder.STOP);
        try {
            ending.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the barrier training job failed", e.getCause());
        } catch (TimeoutException e) {
            ending.cancel(true);
            throw new IllegalStateException("the barrier training job did not stop within 5 minutes; cancelled it", e);
        } catch (InterruptedException e) {
            ending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the barrier training job", e);
        }
    }

    @Override
    public void close() {
        try {
            pause();
        } finally {
            if (endpoint != null) {
                sc.env().rpcEnv().stop(endpoint);
                endpoint = null;
                coordinator = null;
            }
        }
    }

    /**
     * Why barrier steps cannot run over {@code partitions} partitions on {@code sc} now, or null:
     * a barrier stage needs every partition's task running at once, and no dynamic allocation.
     */
    static String unavailable(SparkContext sc, int partitions) {
        if (!sc.isLocal() && sc.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "Spark's barrier stages cannot run with spark.dynamicAllocation.enabled=true";
        }
        int slots = slots(sc);
        if (slots < partitions) {
            return "the tasks of all " + partitions + " partitions must run at once, but only " + slots
                    + " task slots are available";
        }
        return null;
    }

    private static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }

    private void checkCluster() {
        // on a cluster, executors may still be registering
        long deadline = System.currentTimeMillis() + (sc.isLocal() ? 0 : SLOT_WAIT_MILLIS);
        while (slots(sc) < partitions && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String reason = unavailable(sc, partitions);
        if (reason != null) {
            throw new UserError("--sampler barrier: " + reason + "; use --sampler rdd"
                    + (slots(sc) < partitions ? " or --partitions " + Math.max(1, slots(sc)) : ""));
        }
    }
}
