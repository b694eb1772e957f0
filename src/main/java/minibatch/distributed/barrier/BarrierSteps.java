package minibatch.distributed.barrier;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import minibatch.RunFailure;
import minibatch.UserError;
import minibatch.config.StepMode;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.StepRunner;
import minibatch.distributed.jobs.DataFrameSteps;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.PartitionSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Network;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/**
 * Resident steps, the default: instead of one Spark job per step, one barrier-stage job per
 * segment of steps (until the next evaluation), whose tasks stay up, read their partition of the
 * cached DataFrame once, and exchange each step's weights and sums with the driver over Spark's
 * RPC ({@link StepMessages}, {@link StepCoordinator}, {@link BarrierStepTask}): one message each way per executor,
 * whose tasks share the weights and add their sums first ({@link ExecutorGroup};
 * {@link SumsSender}). A step then costs an RPC round trip
 * instead of a job's planning, scheduling, task-binary broadcast and launch. Each task draws
 * exactly the rows {@code Dataset.sample} gives its partition ({@link PartitionSampler}), so the
 * sums, and a whole run's weights, are bit for bit those of {@link DataFrameSteps}.
 *
 * <p>While a segment runs, its tasks hold one task slot per partition; {@link #pause} ends it
 * before any other job (an evaluation) runs, and {@link #close} must be called at the end.
 *
 * <p>No wait is unbounded ({@link StepBounds}): a partition whose sums are late has its task
 * killed, so that Spark retries the barrier stage (up to {@code spark.stage.maxConsecutiveAttempts}
 * times); then the run fails with one message naming the step, the partition and the executor.
 * Spark counts a stage's failed attempts until the stage ends, so a segment whose stage was retried
 * ends after its next step, and the step after that starts a fresh stage: failures spread over a
 * long segment are each survived. A segment starts only once its slots are free ({@link TaskSlots});
 * when they stay short, {@link BarrierUnavailable} says why (the run may go on with one job per step).
 */
public final class BarrierSteps implements StepRunner {
    /** Job descriptions of the segments start with this. */
    static final String JOB_DESCRIPTION_PREFIX = "barrier training steps from ";
    /** Later steps whose seeds each order carries, so that tasks can draw those batches early. */
    static final int AHEAD = 4;
    private static final ClassTag<Long> LONG = ClassTag$.MODULE$.apply(Long.class);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BarrierSteps.class);

    private final MiniBatchSampler sampler;
    private final Network shape;
    private final double dropout;
    private final SparkContext sc;
    private final int partitions;
    private final String endpointName = "minibatch-steps-" + UUID.randomUUID();
    private final StepBounds bounds;
    private final boolean sumsPerExecutor;
    private final int retries;
    /** The tasks' {@link minibatch.distributed.TaskHook} class, or null. */
    private final String taskHook;
    private StepCoordinator coordinator;
    private StepMessages messages;
    private SparkInternals.Served endpoint;
    /** The coordinator as tasks in this JVM reach it without RPC ({@link StepLink#DIRECT}), or null. */
    private SparkInternals.Served sameJvm;
    private final StepLink link;
    private JavaFutureAction<Long> segment;
    private int segments;
    private boolean firstOfSegment;
    /** The last step whose segment was cancelled because its stage could not start, or -1. */
    private long starvedStep = -1;

    public BarrierSteps(MiniBatchSampler sampler, Network shape, double dropout) {
        this(sampler, shape, dropout, StepBounds.of(sampler.rows().frame().sparkSession().conf()));
    }

    /** With bounds of the caller's choosing (tests shorten them). */
    public BarrierSteps(MiniBatchSampler sampler, Network shape, double dropout, StepBounds bounds) {
        this.sampler = sampler;
        this.shape = shape;
        this.dropout = dropout;
        this.sc = sampler.rows().context();
        this.partitions = sampler.rows().partitions();
        this.bounds = bounds;
        var conf = sampler.rows().frame().sparkSession().conf();
        this.sumsPerExecutor = MinibatchSettings.partialSums(conf) == SumsSender.EXECUTOR;
        this.link = MinibatchSettings.stepLink(conf);
        this.taskHook = MinibatchSettings.taskHook(conf);
        this.retries = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
    }

    @Override
    public StepMode mode() {
        return StepMode.BARRIER;
    }

    @Override
    public GradientSums sums(long step, double[] params, StepProfile profile) {
        long t0 = System.nanoTime();
        StepSeeds seeds = sampler.seeds();
        long[] ahead = new long[AHEAD];
        for (int i = 0; i < AHEAD; i++) {
            ahead[i] = seeds.sample(step + 1 + i);
        }
        StepOrder order = new StepOrder(step, seeds.sample(step), ahead, seeds.dropout(step), params,
                bounds.taskWaitMillis());
        seeds.forget(step); // this step's seeds stay: one job per step may take the step over
        if (segment == null) {
            start(step);
        }
        long t1 = System.nanoTime();
        coordinator.publish(order);
        GradientSums[] parts = awaitSums(step, order);
        long t2 = System.nanoTime();
        if (!firstOfSegment) {
            bounds.record(t2 - t1);
        }
        firstOfSegment = false;
        GradientSums total = GradientSums.total(Arrays.asList(parts));
        if (profile != null) {
            profile.add(StepProfile.Phase.SAMPLE_AND_CLOSURE, t1 - t0);
            profile.add(StepProfile.Phase.BARRIER_EXCHANGE, t2 - t1);
            profile.add(StepProfile.Phase.MERGE, System.nanoTime() - t2);
            profile.addBarrierTaskNanos(coordinator.takeTaskNanos());
            profile.addTraffic(messages.traffic().take(), coordinator.groups());
            profile.countStep();
        }
        if (coordinator.retried()) {
            // Spark counts a stage's failed attempts until the stage ends, however far apart: once a
            // retried stage has made progress, the next step starts a fresh one
            pause();
        }
        return total;
    }

    /**
     * The sums of {@code step}, whose {@code order} is published. A segment whose stage cannot start
     * for want of task slots is cancelled and started again once they are free, once a step.
     *
     * @throws BarrierUnavailable when the slots stay short
     */
    private GradientSums[] awaitSums(long step, StepOrder order) {
        while (true) {
            try {
                return coordinator.awaitSums(segment, firstOfSegment ? bounds.startMillis() : bounds.stepMillis(),
                        bounds.startMillis(), retries, new SegmentTasks());
            } catch (StarvedSegment e) {
                cancelSegment();
                if (step == starvedStep || !TaskSlots.awaitFree(sc, partitions, bounds.slotWaitMillis())) {
                    throw new BarrierUnavailable(e.getMessage() + ", and the barrier stage could not start: "
                            + TaskSlots.describe(sc) + " for its " + partitions + " tasks");
                }
                starvedStep = step;
                start(step);
                coordinator.publish(order);
            } catch (RuntimeException e) {
                cancelSegment();
                throw e;
            }
        }
    }

    private void cancelSegment() {
        JavaFutureAction<Long> failed = segment;
        segment = null;
        if (failed != null) {
            failed.cancel(true);
        }
    }

    /** The running segment's tasks, as the coordinator's wait acts on them. */
    private final class SegmentTasks implements TaskKiller {
        @Override
        public void kill(long taskId, String reason) {
            LOG.warn("{}; killing task {} so that Spark retries the barrier stage", reason, taskId);
            sc.killTaskAttempt(taskId, true, reason);
        }

        /**
         * No task reported within two start bounds (its barrier stage waits for all its slots at
         * once, which other jobs' tasks, taking each slot as it frees, may keep from it), or too
         * few slots are left (an executor lost and not yet replaced, a Worker lost for good).
         */
        @Override
        public boolean starved(boolean noneReported) {
            return noneReported || TaskSlots.total(sc) < partitions;
        }
    }

    /**
     * Starts a segment at {@code step}, once the task slots its stage needs are free.
     *
     * @throws UserError   at the first segment, when the cluster never had enough slots
     * @throws BarrierUnavailable when the slots are not free within the slot wait
     */
    private void start(long step) {
        if (coordinator == null) {
            checkCluster();
            coordinator = new StepCoordinator(partitions);
            messages = new StepMessages(coordinator);
            endpoint = SparkInternals.serve(sc, endpointName, messages);
            sameJvm = link == StepLink.DIRECT ? SameJvmEndpoints.register(endpointName, messages) : null;
        }
        if (!TaskSlots.awaitFree(sc, partitions, bounds.slotWaitMillis())) {
            throw new BarrierUnavailable("the tasks of all " + partitions + " partitions must run at once, but "
                    + TaskSlots.describe(sc) + " after " + bounds.slotWaitMillis() / 1000 + " s");
        }
        int number = segments++;
        coordinator.reset(number);
        firstOfSegment = true;
        var task = new BarrierStepTask(endpointName, number, bounds.taskWaitMillis(), shape, sampler.rows().layout(),
                sampler.partitionSampler(), dropout, sumsPerExecutor, taskHook);
        RDD<Row> rows = sampler.rows().rows();
        RDD<Long> resident = rows.barrier().mapPartitions(task, false, LONG);
        sc.setJobDescription(JOB_DESCRIPTION_PREFIX + step);
        try {
            // The shuffle makes the barrier stage a map stage: Spark retries a failed barrier map stage
            // (all its tasks) but aborts the job when a barrier result stage fails.
            segment = JavaRDD.fromRDD(resident, LONG).repartition(1).countAsync();
        } finally {
            sc.setJobDescription(null);
        }
    }

    /** Ends the running segment, if any, so that other jobs can use the task slots. */
    @Override
    public void pause() {
        if (segment == null) {
            return;
        }
        JavaFutureAction<Long> ending = segment;
        segment = null;
        coordinator.publish(StepOrder.STOP);
        try {
            ending.get(bounds.endMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RunFailure("the barrier training job failed as it stopped: "
                    + UserError.firstLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            ending.cancel(true);
            if (coordinator.allStopped()) {
                return; // its tasks stopped; the job's one-task result stage waited for a slot another job holds
            }
            throw new RunFailure("the barrier training job did not stop within " + bounds.endMillis() / 1000
                    + " s; cancelled it", e);
        } catch (InterruptedException e) {
            ending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the barrier training job", e);
        }
    }

    @Override
    public java.util.List<String> executorBlas() {
        return messages == null ? java.util.List.of() : messages.executorBlas();
    }

    @Override
    public void close() {
        try {
            pause();
        } finally {
            if (sameJvm != null) {
                sameJvm.close();
                sameJvm = null;
            }
            if (endpoint != null) {
                endpoint.close();
                endpoint = null;
            }
        }
    }

    /**
     * Why barrier steps cannot run over {@code partitions} partitions on {@code sc} now, or null:
     * a barrier stage needs every partition's task running at once, and no dynamic allocation.
     */
    public static String unavailable(SparkContext sc, int partitions) {
        return TaskSlots.unavailable(sc, partitions);
    }

    private void checkCluster() {
        TaskSlots.awaitTotal(sc, partitions, sc.isLocal() ? 0 : StepBounds.SLOT_WAIT_MILLIS); // executors may still register
        String reason = unavailable(sc, partitions);
        if (reason != null) {
            int slots = TaskSlots.total(sc);
            throw new UserError("--sampler barrier: " + reason + "; use --sampler dataframe"
                    + (slots < partitions ? " or --partitions " + Math.max(1, slots) : ""));
        }
    }
}
