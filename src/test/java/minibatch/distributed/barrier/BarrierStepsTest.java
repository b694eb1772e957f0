package minibatch.distributed.barrier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import minibatch.UserError;
import minibatch.config.StepMode;
import minibatch.data.cache.CachedImages;
import minibatch.data.idx.MnistFiles;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.StepRunner;
import minibatch.distributed.StepRunners;
import minibatch.distributed.TaskHook;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.testing.IdxFixtures;
import minibatch.testing.ListenerBus;
import minibatch.testing.LocalSpark;
import minibatch.testing.TaskFaults;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resident steps must give, step for step, the very sums that one Spark job per step over
 * {@code Dataset.sample} gives (the same batches, the same partial sums, merged in the same order),
 * across segment restarts, with either sampler and with dropout.
 */
@ExtendWith(LocalSpark.class)
public class BarrierStepsTest {
    public static final NetworkShape SHAPE = NetworkShape.of(36, new int[] {9}, 4, Activation.SIGMOID);

    @TempDir
    Path dir;

    public static CachedImages rows(Path dir, SparkSession spark, int partitions) throws IOException {
        IdxFixtures.writeMnistLayout(dir, IdxFixtures.synthetic(300, 6, 6, 4, 31), IdxFixtures.synthetic(5, 6, 6, 4, 32),
                false);
        return CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 4), partitions, "test");
    }

    private CachedImages rows(SparkSession spark, int partitions) throws IOException {
        return rows(dir, spark, partitions);
    }

    static MiniBatchSampler sampler(CachedImages rows, boolean withReplacement, double dropout) {
        var seeds = new StepSeeds(new SplittableRandom(7), dropout > 0 ? new SplittableRandom(8) : null);
        return new MiniBatchSampler(rows, 40, withReplacement, seeds);
    }

    private static StepRunner step(CachedImages rows, boolean withReplacement, double dropout, boolean resident) {
        return StepRunners.create(resident ? StepMode.BARRIER : StepMode.DATAFRAME, sampler(rows, withReplacement, dropout),
                SHAPE, dropout, line -> {
                    throw new AssertionError("no fallback expected: " + line);
                });
    }

    @ParameterizedTest(name = "partitions={0}, replacement={1}, dropout={2}")
    @CsvSource({"1,false,0", "2,false,0", "1,true,0", "2,true,0", "2,false,0.3"})
    void residentStepsGiveTheSumsOfOneJobPerStepOverDatasetSample(int partitions, boolean withReplacement, double dropout,
                                                SparkSession spark) throws IOException {
        CachedImages rows = rows(spark, partitions);
        try {
            List<GradientSums> expected = steps(rows, withReplacement, dropout, false);
            List<GradientSums> actual = steps(rows, withReplacement, dropout, true);
            for (int s = 0; s < expected.size(); s++) {
                assertTrue(expected.get(s).count() > 0);
                assertEquals(expected.get(s).count(), actual.get(s).count(), "rows at step " + s);
                assertEquals(expected.get(s).lossSum(), actual.get(s).lossSum(), 0.0, "loss sum at step " + s);
                assertArrayEquals(expected.get(s).gradientSum(), actual.get(s).gradientSum(), 0.0, "gradient sum at step " + s);
            }
        } finally {
            rows.release();
        }
    }

    @ParameterizedTest(name = "spark.minibatch.partialSums={0}")
    @CsvSource({"executor,1", "task,2"})
    void theTasksOfOneExecutorSendOneMessageOfSumsPerStep(String partialSums, int messagesPerStep, SparkSession spark)
            throws IOException {
        CachedImages rows = rows(spark, 2);
        spark.conf().set(MinibatchSettings.PARTIAL_SUMS, partialSums);
        StepProfile profile = StepProfile.attach(spark.sparkContext());
        try {
            List<GradientSums> expected = steps(rows, false, 0, false);
            var resident = new BarrierSteps(sampler(rows, false, 0), SHAPE, 0);
            List<GradientSums> actual = steps(rows, resident, profile);
            for (int s = 0; s < expected.size(); s++) {
                assertEquals(expected.get(s).lossSum(), actual.get(s).lossSum(), 0.0, "loss sum at step " + s);
                assertArrayEquals(expected.get(s).gradientSum(), actual.get(s).gradientSum(), 0.0, "gradient sum at step " + s);
            }
            var t = profile.trafficPerStep();
            // 12 steps in two segments: per group, one first request a segment and one report a step;
            // out: the orders of the 12 steps and the first segment's STOP (the last STOP comes after the last step)
            assertEquals(messagesPerStep * 14, Math.round(t.get(StepProfile.MESSAGES_IN) * 12), t.toString());
            assertEquals(messagesPerStep * 13, Math.round(t.get(StepProfile.MESSAGES_OUT) * 12), t.toString());
            long gradientBytes = 12L * messagesPerStep * SHAPE.parameterCount() * Double.BYTES;
            double bytesIn = t.get(StepProfile.BYTES_IN) * 12;
            assertTrue(bytesIn > gradientBytes && bytesIn < gradientBytes + messagesPerStep * 14 * 1000, t.toString());
            double bytesOut = t.get(StepProfile.BYTES_OUT) * 12;
            assertTrue(bytesOut > gradientBytes && bytesOut < gradientBytes + messagesPerStep * 13 * 1000, t.toString());
        } finally {
            profile.detach(spark.sparkContext());
            spark.conf().unset(MinibatchSettings.PARTIAL_SUMS);
            rows.release();
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"spark.minibatch.partialSums, node, 'spark.minibatch.partialSums must be executor or task (got node)'",
        "spark.minibatch.stepLink, socket, 'spark.minibatch.stepLink must be direct or rpc (got socket)'"})
    void anUnknownSettingIsAUserError(String key, String value, String message, SparkSession spark) throws IOException {
        CachedImages rows = rows(spark, 1);
        spark.conf().set(key, value);
        try {
            var e = assertThrows(UserError.class, () -> new BarrierSteps(sampler(rows, false, 0), SHAPE, 0));
            assertEquals(message, e.getMessage());
        } finally {
            spark.conf().unset(key);
            rows.release();
        }
    }

    @ParameterizedTest(name = "spark.minibatch.stepLink={0}")
    @CsvSource({"direct,true", "rpc,false", "RPC ,false"})
    void tasksInTheDriversJvmReachItDirectlyOrThroughSparksRpcWithTheSameSums(String link, boolean direct,
                                                                             SparkSession spark) throws IOException {
        CachedImages rows = rows(spark, 2);
        spark.conf().set(MinibatchSettings.STEP_LINK, link);
        List<Boolean> servedHere = new CopyOnWriteArrayList<>();
        List<String> names = new CopyOnWriteArrayList<>();
        TaskFaults.inject(spark, new TaskHook() {
            @Override
            public void segmentStart(String endpoint, int segment) {
                names.add(endpoint);
                servedHere.add(SameJvmEndpoints.find(endpoint) != null);
            }
        });
        try {
            List<GradientSums> expected = steps(rows, false, 0, false);
            List<GradientSums> actual = steps(rows, false, 0, true);
            for (int s = 0; s < expected.size(); s++) {
                assertEquals(expected.get(s).lossSum(), actual.get(s).lossSum(), 0.0, "loss sum at step " + s);
                assertArrayEquals(expected.get(s).gradientSum(), actual.get(s).gradientSum(), 0.0, "gradient sum at step " + s);
            }
            assertEquals(1, java.util.Set.copyOf(names).size(), "one endpoint for both segments: " + names);
            assertEquals(4, servedHere.size(), "two tasks in each of two segments");
            assertEquals(java.util.Set.of(direct), java.util.Set.copyOf(servedHere),
                    "served in this JVM only with the direct link");
            assertNull(SameJvmEndpoints.find(names.get(0)), "closing the steps unregisters it");
        } finally {
            TaskFaults.clear(spark);
            spark.conf().unset(MinibatchSettings.STEP_LINK);
            rows.release();
        }
    }


    /** 12 steps from the same weights, each followed by an in-place update as the training loop makes. */
    private static List<GradientSums> steps(CachedImages rows, boolean withReplacement, double dropout, boolean barrier) {
        return steps(rows, step(rows, withReplacement, dropout, barrier));
    }

    /** As above, over {@code runner}, which this closes. */
    static List<GradientSums> steps(CachedImages rows, StepRunner runner) {
        return steps(rows, runner, null);
    }

    /** As above, profiled into {@code profile} (or null). */
    static List<GradientSums> steps(CachedImages rows, StepRunner runner, StepProfile profile) {
        double[] params = Initializer.standardNormal(SHAPE, new SplittableRandom(1));
        List<GradientSums> sums = new ArrayList<>();
        try (StepRunner step = runner) {
            for (int s = 1; s <= 12; s++) {
                GradientSums g = step.sums(s, params, profile);
                sums.add(g);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= 0.5 * g.gradientSum()[i] / Math.max(1, g.count());
                }
                if (s == 5) {
                    step.pause(); // an evaluation ends the segment; the next step starts another
                    assertEquals(300, rows.frame().count(), "other jobs run while paused");
                }
            }
        }
        return sums;
    }

    @Test
    void morePartitionsThanTaskSlotsIsAUserError(SparkSession spark) throws IOException {
        CachedImages rows = rows(spark, 3); // local[2]: two task slots
        try (StepRunner barrier = step(rows, false, 0, true)) {
            UserError e = assertThrows(UserError.class, () -> barrier.sums(1, new double[SHAPE.parameterCount()], null));
            assertTrue(e.getMessage().contains("all 3 partitions") && e.getMessage().contains("only 2 task slots"),
                    e.getMessage());
            assertEquals(300, rows.frame().count(), "no barrier job holds the slots");
        } finally {
            rows.release();
        }
    }

    @Test
    void aKilledTaskIsRetriedWithTheWholeStageAndTheStepsGoOnUnchanged(SparkSession spark) throws IOException {
        CachedImages rows = rows(spark, 2);
        List<GradientSums> expected = steps(rows, false, 0, false);
        List<Long> started = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                started.add(start.taskInfo().taskId());
            }
        };
        spark.sparkContext().addSparkListener(listener);
        double[] params = Initializer.standardNormal(SHAPE, new SplittableRandom(1));
        try (StepRunner barrier = step(rows, false, 0, true)) {
            for (int s = 1; s <= 12; s++) {
                if (s == 4) {
                    // as if an executor were lost between two steps; the listener bus delivers task
                    // starts asynchronously, and steps take about a millisecond
                    ListenerBus.awaitUntil(() -> started.size() >= 2);
                    spark.sparkContext().killTaskAttempt(started.get(started.size() - 1), true, "test kill");
                }
                GradientSums g = barrier.sums(s, params, null);
                assertArrayEquals(expected.get(s - 1).gradientSum(), g.gradientSum(), 0.0, "gradient sum at step " + s);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= 0.5 * g.gradientSum()[i] / Math.max(1, g.count());
                }
            }
            ListenerBus.awaitUntil(() -> started.size() >= 4); // the retried stage's starts may still be on the bus
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        try {
            assertTrue(started.size() >= 4, "tasks started: " + started);
            assertEquals(300, rows.frame().count(), "the slots are free again");
        } finally {
            rows.release();
        }
    }
}
