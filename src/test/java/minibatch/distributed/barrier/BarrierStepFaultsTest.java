package minibatch.distributed.barrier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import minibatch.cli.Main;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.TaskHook;
import minibatch.distributed.jobs.DataFrameSteps;
import minibatch.distributed.sums.GradientSums;
import minibatch.testing.IdxFixtures;
import minibatch.testing.ListenerBus;
import minibatch.testing.LocalSpark;
import minibatch.testing.TaskFaults;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resident steps never hang: a task that stops answering, an answer lost on its way, and a zombie
 * of a killed stage attempt each end in a retried barrier stage (within the step bound, here
 * 5 s) and leave every step's sums those of one job per step over {@code Dataset.sample}. Real
 * tasks in {@code local[2]}, with faults injected through the tasks' hook ({@link TaskFaults}).
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BarrierStepFaultsTest {
    private static final StepBounds FIVE_SECONDS = new StepBounds(5000L, 120_000);

    @TempDir
    Path dir;

    @AfterEach
    void noFault(SparkSession spark) {
        TaskFaults.clear(spark);
    }

    private static int partition() {
        return TaskContext.get().partitionId();
    }

    private static int stageAttempt() {
        return TaskContext.get().stageAttemptNumber();
    }

    /**
     * Stage attempts submitted while {@code run} runs: more than one per segment means a retry.
     * Waits (at most 30 s) for a retried attempt's event before it stops listening.
     */
    private static List<Integer> stageAttempts(SparkSession spark, Runnable run) {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                attempts.add(submitted.stageInfo().attemptNumber());
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            run.run();
            ListenerBus.awaitUntil(() -> attempts.stream().anyMatch(a -> a > 0));
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        return attempts;
    }

    private void assertUndisturbed(SparkSession spark, int partitions, TaskHook fault) throws IOException {
        CachedImages rows = BarrierStepsTest.rows(dir, spark, partitions);
        try {
            List<GradientSums> expected = BarrierStepsTest.steps(rows,
                    new DataFrameSteps(BarrierStepsTest.sampler(rows, false, 0), BarrierStepsTest.SHAPE, 0));
            TaskFaults.inject(spark, fault); // before the steps read their settings
            var resident = new BarrierSteps(BarrierStepsTest.sampler(rows, false, 0), BarrierStepsTest.SHAPE, 0, FIVE_SECONDS);
            List<GradientSums>[] actual = new List[1];
            List<Integer> attempts = stageAttempts(spark, () -> actual[0] = BarrierStepsTest.steps(rows, resident));
            assertTrue(attempts.stream().anyMatch(a -> a > 0), "a stage was retried: attempts " + attempts);
            for (int s = 0; s < expected.size(); s++) {
                assertEquals(expected.get(s).count(), actual[0].get(s).count(), "rows at step " + (s + 1));
                assertEquals(expected.get(s).lossSum(), actual[0].get(s).lossSum(), 0.0, "loss sum at step " + (s + 1));
                assertArrayEquals(expected.get(s).gradientSum(), actual[0].get(s).gradientSum(), 0.0,
                        "gradient sum at step " + (s + 1));
            }
            assertEquals(300, rows.frame().count(), "the task slots are free again");
        } finally {
            TaskFaults.clear(spark);
            rows.release();
        }
    }

    @Test
    void aTaskThatStopsAnsweringMidStepIsKilledAndTheStageRetried(SparkSession spark) throws IOException {
        assertUndisturbed(spark, 2, new TaskHook() {
            @Override
            public void midStep(long step) throws InterruptedException {
                if (partition() == 1 && stageAttempt() == 0 && step == 7) {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // until the driver kills the task
                }
            }
        });
    }

    @Test
    void aLostAnswerEndsInARetry(SparkSession spark) throws IOException {
        assertUndisturbed(spark, 2, new TaskHook() {
            @Override
            public <T> java.util.concurrent.CompletableFuture<T> betweenSteps(long step,
                                                                             java.util.concurrent.CompletableFuture<T> answer) {
                boolean lost = partition() == 0 && stageAttempt() == 0 && step == 3; // the order of step 4 never arrives
                return lost ? new java.util.concurrent.CompletableFuture<>() : answer;
            }
        });
    }

    @Test
    void aZombieOfAKilledAttemptIsStoppedAndIgnored(SparkSession spark) throws IOException {
        // Spark retries a barrier stage once its failed task has ended, while the attempt's other
        // tasks may still run for a moment (they see the kill only at their next look): such a
        // zombie's report reaches the driver after the new attempt started. Here the retried task
        // sends, over Spark's RPC, the report a zombie of attempt 0 would, with wrong sums.
        AtomicReference<Object[]> zombieAnswer = new AtomicReference<>();
        AtomicReference<String> endpoint = new AtomicReference<>();
        assertUndisturbed(spark, 1, new TaskHook() {
            @Override
            public void segmentStart(String name, int segment) {
                endpoint.set(name);
            }

            @Override
            public void midStep(long step) throws InterruptedException {
                int stageAttempt = stageAttempt();
                if (stageAttempt == 0 && step == 4) {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // until the driver kills the task
                } else if (stageAttempt == 1 && step == 4 && zombieAnswer.get() == null) {
                    var zombie = new StepReport(0, 0, 0, -1L, "zombie", 4, new GradientSums(1e9, new double[BarrierStepsTest.SHAPE
                            .parameterCount()], 1), 0L);
                    try {
                        zombieAnswer.set((Object[]) SparkInternals.driver(endpoint.get()).ask(zombie.toWire(), 10_000)
                                .get(10, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        assertTrue(StepOrder.fromWire(zombieAnswer.get()).stop(), "the zombie is told to stop (its sums are not taken: "
                + "every step's sums are those of one job per step)");
    }

    @Test
    void tasksKilledAtSixStepsOfOneSegmentAreEachSurvivedWithTheSumsOfOneJobPerStep(SparkSession spark)
            throws IOException {
        // Spark gives a stage spark.stage.maxConsecutiveAttempts (4) failed attempts until it ends,
        // however far apart they are: six in one stage abort the job unless each recovered failure
        // ends the segment, so that the next step runs in a fresh stage.
        CachedImages rows = BarrierStepsTest.rows(dir, spark, 2);
        List<Long> killSteps = List.of(3L, 5L, 7L, 9L, 11L, 13L);
        java.util.Set<Long> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            List<GradientSums> expected = oneSegment(new DataFrameSteps(BarrierStepsTest.sampler(rows, false, 0),
                    BarrierStepsTest.SHAPE, 0));
            TaskFaults.inject(spark, new TaskHook() {
                @Override
                public void midStep(long step) throws InterruptedException {
                    if (partition() == 1 && killSteps.contains(step) && killed.add(step)) {
                        // the driver's scheduler kills this task mid-step, as if its executor were lost
                        spark.sparkContext().killTaskAttempt(TaskContext.get().taskAttemptId(), true, "test kill");
                        Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // until the kill interrupts it
                    }
                }
            });
            List<GradientSums> actual = oneSegment(new BarrierSteps(BarrierStepsTest.sampler(rows, false, 0),
                    BarrierStepsTest.SHAPE, 0));
            assertEquals(java.util.Set.copyOf(killSteps), killed, "a task killed at every point");
            for (int s = 0; s < expected.size(); s++) {
                assertEquals(expected.get(s).lossSum(), actual.get(s).lossSum(), 0.0, "loss sum at step " + (s + 1));
                assertArrayEquals(expected.get(s).gradientSum(), actual.get(s).gradientSum(), 0.0,
                        "gradient sum at step " + (s + 1));
            }
            assertEquals(300, rows.frame().count(), "the task slots are free again");
        } finally {
            TaskFaults.clear(spark);
            rows.release();
        }
    }

    /** 14 steps with no pause between them, each followed by an update. */
    private static List<GradientSums> oneSegment(minibatch.distributed.StepRunner runner) {
        double[] params = minibatch.nn.Initializer.standardNormal(BarrierStepsTest.SHAPE, new java.util.SplittableRandom(1));
        List<GradientSums> sums = new java.util.ArrayList<>();
        try (runner) {
            for (long s = 1; s <= 14; s++) {
                GradientSums g = runner.sums(s, params, null);
                sums.add(g);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= 0.5 * g.gradientSum()[i] / Math.max(1, g.count());
                }
            }
        }
        return sums;
    }

    @Test
    void aTaskStuckInEveryAttemptEndsTheRunWithOneErrorLineNamingStepPartitionAndExecutor(SparkSession spark)
            throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 300, 50, 3);
        Path out = dir.resolve("run");
        TaskFaults.inject(spark, new TaskHook() {
            @Override
            public void midStep(long step) throws InterruptedException {
                if (partition() == 1 && step == 3) {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                }
            }
        });
        var err = new java.io.ByteArrayOutputStream();
        int status;
        try {
            // the session's runtime conf: what spark.conf().set(...) changes for estimator users
            status = Main.execute(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                    "train", "--data", data.toString(), "--out", out.toString(), "--partitions", "2", "--steps", "20",
                    "--hidden", "4", "--conf", MinibatchSettings.STEP_TIMEOUT + "=2s");
        } finally {
            spark.conf().unset(MinibatchSettings.STEP_TIMEOUT);
        }
        List<String> lines = err.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(Main.RUN_FAILED, status, String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("error: ")).count(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("error: step 3: ") && l.contains("partitions 0, 1 (executor driver)")
                && l.contains("sent no sums within 2.0 s")),
                String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + String.join("\n", lines));
        assertTrue(!java.nio.file.Files.exists(out.resolve("summary.json")), "no finished run written");
        assertEquals(300, spark.range(300).count(), "the task slots are free again");
    }
}
