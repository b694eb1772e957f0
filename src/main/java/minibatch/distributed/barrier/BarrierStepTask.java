package minibatch.distributed.barrier;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import minibatch.UserError;
import minibatch.data.LabeledImage;
import minibatch.data.cache.FrameLayout;
import minibatch.distributed.TaskHook;
import minibatch.distributed.sampling.PartitionSampler;
import minibatch.distributed.sums.PartitionGradient;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Network;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.sql.Row;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One resident task: it stays up for many steps over its partition of the cached DataFrame,
 * read once when the task starts. Each step it gets the step's order (from the driver, or from the
 * task leading its executor's group, {@link ExecutorGroup}), takes the
 * rows {@code Dataset.sample} would give this partition for the step's seed
 * ({@link PartitionSampler}: Spark's own sampler, seeded as {@code SampleExec} seeds it), sums the
 * loss and gradient over them with {@link PartitionGradient}, and hands the sums to its group,
 * whose leader sends the group's total with its next request. While it waits for the next order
 * it draws the batches of the next steps, whose seeds the order carries. It returns the number of
 * steps it computed.
 *
 * <p>Every wait for the driver is bounded by the order's {@code waitMillis}: a task whose driver
 * stopped answering fails (Spark retries the stage, or the application is gone anyway).
 */
final class BarrierStepTask extends AbstractFunction1<Iterator<Row>, Iterator<Long>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows decided between two looks at whether the driver has answered (~10 µs of drawing). */
    private static final int DRAW_PIECE = 2048;
    /** How often a waiting task looks whether Spark killed it. */
    static final long KILL_CHECK_MILLIS = 200;

    private final String endpointName;
    private final int segment;
    private final long firstWaitMillis;
    private final Network shape;
    private final FrameLayout layout;
    private final PartitionSampler sampler;
    private final double dropout;
    private final boolean sumsPerExecutor;
    private final String taskHook;

    /**
     * @param segment         the driver's number for this barrier job (messages carry it)
     * @param firstWaitMillis the bound on the wait for the first order
     * @param sumsPerExecutor true: the tasks of one executor share each order and send one report
     *                        ({@link ExecutorGroup}); false: every task talks to the driver itself
     * @param taskHook        the {@link TaskHook} class the task creates, or null for none
     */
    BarrierStepTask(String endpointName, int segment, long firstWaitMillis, Network shape, FrameLayout layout,
                     PartitionSampler sampler, double dropout, boolean sumsPerExecutor, String taskHook) {
        this.endpointName = endpointName;
        this.segment = segment;
        this.firstWaitMillis = firstWaitMillis;
        this.shape = shape;
        this.layout = layout;
        this.sampler = sampler;
        this.dropout = dropout;
        this.sumsPerExecutor = sumsPerExecutor;
        this.taskHook = taskHook;
    }

    @Override
    public Iterator<Long> apply(Iterator<Row> partitionRows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int partition = context.partitionId();
        // the partition's rows, decoded once, in the cached order that Dataset.sample walks too
        List<LabeledImage> cached = new ArrayList<>();
        while (partitionRows.hasNext()) {
            cached.add(layout.decode(partitionRows.next()));
        }
        LabeledImage[] rows = cached.toArray(LabeledImage[]::new);
        TaskHook hook = TaskHook.forTask(taskHook);
        hook.segmentStart(endpointName, segment);
        int[] members = sumsPerExecutor ? ExecutorGroup.sameExecutor(context.getTaskInfos(), partition)
                : new int[] {partition};
        ExecutorGroup.Key key = sumsPerExecutor ? ExecutorGroup.key(endpointName, segment, context.stageAttemptNumber())
                : ExecutorGroup.key(endpointName, segment, context.stageAttemptNumber(), partition);
        ExecutorGroup group = ExecutorGroup.join(key, members, partition, context.taskAttemptId());
        try {
            return scala.collection.Iterator$.MODULE$.single(steps(context, partition, rows, group, hook));
        } finally {
            group.leave();
        }
    }

    /**
     * The task's steps until STOP. The group's leader asks the driver and hands each order on;
     * the others take it from the group. Every member puts its sums into the group; the leader
     * sends their total with its next request.
     */
    private long steps(TaskContext context, int partition, LabeledImage[] rows, ExecutorGroup group, TaskHook hook) {
        boolean leads = group.leads(partition);
        BooleanSupplier killed = context::isInterrupted;
        SparkInternals.DriverLink driver = leads ? SameJvmEndpoints.driver(endpointName) : null;
        StepReport report = leads ? new StepReport(group.members(), segment, context.stageAttemptNumber(),
                group.taskIds(firstWaitMillis, killed), SparkEnv.get().executorId(), -1, null, 0L) : null;
        if (leads && shape.usesBlas()) {
            reportBlas(driver, report.executor(), killed);
        }
        StepOrder order = null;
        long waitMillis = firstWaitMillis;
        long lastStep = -1;
        Map<Long, PartitionSampler.Draw<LabeledImage>> drawn = new HashMap<>(); // batches drawn early, by step
        double[] gradient = new double[shape.parameterCount()]; // every step's sums, see PartitionGradient
        long steps = 0;
        while (true) {
            CompletableFuture<StepOrder> answer;
            if (leads) {
                // the driver answers as soon as it has the next weights, and ends the job with STOP
                answer = hook.betweenSteps(report.step(),
                        driver.ask(report.toWire(), waitMillis).thenApply(StepOrder::fromWire));
            } else {
                answer = group.orderAfter(lastStep);
            }
            long t0 = System.nanoTime();
            if (order != null) {
                drawAhead(order, partition, rows, drawn, answer);
            }
            long ahead = System.nanoTime() - t0;
            order = await(answer, waitMillis, killed,
                    "partition " + partition + ": no order from " + (leads ? "the driver" : "this executor's leading task")
                            + " within %.1f s after step " + lastStep);
            if (leads) {
                group.publish(order);
            }
            if (order.stop()) {
                return steps;
            }
            waitMillis = order.waitMillis();
            long t1 = System.nanoTime();
            long step = order.step();
            try {
                hook.midStep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskKilledException("interrupted at step " + step);
            }
            drawn.keySet().removeIf(s -> s < step);
            PartitionSampler.Draw<LabeledImage> early = drawn.remove(step);
            List<LabeledImage> batch = early != null ? early.finish() : sampler.sample(order.sampleSeed(), partition, rows);
            var sums = new PartitionGradient(shape, order.params(), dropout, order.dropoutSeed())
                    .apply(partition, batch.iterator(), gradient);
            group.put(partition, step, sums, ahead + System.nanoTime() - t1);
            if (leads) {
                ExecutorGroup.Total total = group.total(step, waitMillis, killed);
                report = report.next(step, total.sums(), total.taskNanos());
            }
            lastStep = step;
            steps++;
        }
    }

    /**
     * Tells the driver, once a segment and before the first report, which BLAS this executor's JVM
     * loaded ({@link BlasReport}), and waits for its acknowledgement: the driver has it before any
     * step runs.
     */
    private void reportBlas(SparkInternals.DriverLink driver, String executor, BooleanSupplier killed) {
        long waitMillis = firstWaitMillis;
        await(driver.ask(new BlasReport(executor, BatchBackprop.blasName()).toWire(), waitMillis), waitMillis, killed,
                "executor " + executor + ": the driver did not take this executor's BLAS within %.1f s");
    }

    /**
     * Draws the batches of the next steps while the driver has not answered, a piece at a time so
     * that an answer waits at most one piece: a batch depends only on its step's seed, and drawing
     * it is one random number per cached row.
     */
    private void drawAhead(StepOrder order, int partition, LabeledImage[] rows,
                           Map<Long, PartitionSampler.Draw<LabeledImage>> drawn, java.util.concurrent.Future<?> answer) {
        for (int i = 0; i < order.ahead() && !answer.isDone(); i++) {
            long seed = order.aheadSeed(i);
            PartitionSampler.Draw<LabeledImage> draw = drawn.computeIfAbsent(order.step() + 1 + i,
                    s -> sampler.draw(seed, partition, rows));
            while (!draw.done() && !answer.isDone()) {
                draw.advance(DRAW_PIECE);
            }
        }
    }

    /**
     * Waits at most {@code limitMillis} for the driver's answer, looking every 200 ms whether Spark
     * killed this task: when a barrier stage attempt fails, Spark marks its other tasks killed
     * without interrupting them, and the retried attempt needs their task slots.
     *
     * @param late the failure's message, with {@code %.1f} for the limit in seconds
     * @throws TaskKilledException when {@code killed} says so
     * @throws IllegalStateException when no answer came within the limit (the task fails)
     */
    static <T> T await(CompletableFuture<T> answer, long limitMillis, BooleanSupplier killed, String late) {
        long deadline = System.nanoTime() + limitMillis * 1_000_000;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                answer.cancel(true);
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, late, limitMillis / 1000.0));
            }
            try {
                return answer.get(Math.min(left, KILL_CHECK_MILLIS * 1_000_000), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (killed.getAsBoolean()) {
                    throw new TaskKilledException("killed while waiting for the driver");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskKilledException("interrupted while waiting for the driver");
            } catch (ExecutionException e) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, late, limitMillis / 1000.0)
                        + ": " + UserError.firstLine(e.getCause()), e.getCause());
            }
        }
    }
}
