package minibatch.distributed.barrier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import minibatch.RunFailure;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.sums.GradientSums;
import org.apache.spark.TaskKilledException;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator's rules about who may report, and its bounded wait, without Spark. */
class StepCoordinatorTest {
    private static final StepOrder STEP_3 = new StepOrder(3, 11L, new long[0], 0L, new double[] {1, 2}, 1000);

    /** Records what a task was answered. */
    private static final class Answer implements SparkInternals.Reply {
        Object[] sent;

        @Override
        public void send(Object answer) {
            sent = (Object[]) answer;
        }

        boolean stopped() {
            return sent != null && sent.length == 1;
        }
    }

    private static StepReport report(int partition, int segment, int attempt, long step, double loss) {
        GradientSums sums = step < 0 ? null : new GradientSums(loss, new double[] {loss, loss}, 1);
        return new StepReport(partition, segment, attempt, 100L * attempt + partition, "exec-" + attempt, step, sums, 0L);
    }

    @Test
    void aZombieOfAnOlderAttemptIsStoppedAndIgnoredAndTheLiveTaskKeepsItsPlace() {
        var c = new StepCoordinator(1);
        c.reset(0);
        c.publish(STEP_3);
        Answer live = new Answer();
        c.onReport(report(0, 0, 1, 3, 5.0), live); // attempt 1 reports step 3 and is parked
        assertNull(live.sent, "parked until step 4");
        Answer zombie = new Answer();
        c.onReport(report(0, 0, 0, 3, 99.0), zombie); // attempt 0, killed, reports late with other numbers
        assertTrue(zombie.stopped(), "the zombie is told to stop");
        assertNull(live.sent, "the live task stays parked");
        GradientSums[] sums = c.awaitSums(CompletableFuture.completedFuture(null), 1000, 1000, 1, (t, r) -> { });
        assertEquals(5.0, sums[0].lossSum(), "the live attempt's sums");
        c.publish(new StepOrder(4, 12L, new long[0], 0L, new double[] {1, 2}, 1000));
        assertEquals(4L, live.sent[0], "the live task gets step 4");
    }

    @Test
    void aNewerAttemptReleasesTheOlderAttemptsParkedTasks() {
        var c = new StepCoordinator(2);
        c.reset(0);
        c.publish(STEP_3);
        Answer old = new Answer();
        c.onReport(report(1, 0, 0, 3, 1.0), old);
        assertNull(old.sent);
        Answer fresh = new Answer();
        c.onReport(report(0, 0, 1, -1, 0), fresh); // the retried attempt's first request
        assertTrue(old.stopped(), "the older attempt's parked task is released");
        assertEquals(3L, fresh.sent[0], "the new task gets the current step");
    }

    private static StepReport group(int[] partitions, int attempt, long step, double loss) {
        GradientSums sums = step < 0 ? null : new GradientSums(loss, new double[] {loss, loss}, partitions.length);
        long[] ids = java.util.Arrays.stream(partitions).mapToLong(p -> 100L * attempt + p).toArray();
        return new StepReport(partitions, 0, attempt, ids, "exec-" + attempt, step, sums, 0L);
    }

    @Test
    void oneExecutorsReportCoversItsPartitionsOnceAndANewAttemptStartsTheStepAfresh() {
        var c = new StepCoordinator(3);
        c.reset(0);
        c.publish(STEP_3);
        c.onReport(group(new int[] {0, 2}, 0, 3, 1.0), new Answer());
        c.onReport(group(new int[] {2}, 0, 3, 50.0), new Answer()); // partition 2 again: not counted
        List<Long> killed = new ArrayList<>();
        RunFailure e = assertThrows(RunFailure.class,
                () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 0, (taskId, reason) -> killed.add(taskId)));
        assertTrue(e.getMessage().startsWith("step 3: partition 1 (no task of this attempt has reported) sent no sums"),
                e.getMessage());
        c.reset(1);
        c.publish(STEP_3);
        Answer notOurs = new Answer();
        c.onReport(new StepReport(new int[] {0, 1}, 1, 0, new long[] {5}, "x", 3, null, 0L), notOurs);
        assertTrue(notOurs.stopped(), "a report with a task id missing is not ours");
        c.onReport(new StepReport(new int[] {0, 1}, 1, 0, new long[] {5, 6}, "x", 3,
                new GradientSums(7.0, new double[] {1, 1}, 2), 0L), new Answer());
        // attempt 1 starts: the sums of attempt 0 are dropped, the step is computed again
        Answer fresh = new Answer();
        c.onReport(new StepReport(new int[] {0}, 1, 1, new long[] {7}, "y", -1, null, 0L), fresh);
        assertEquals(3L, fresh.sent[0], "the new attempt gets the current step");
        c.onReport(new StepReport(new int[] {0}, 1, 1, new long[] {7}, "y", 3,
                new GradientSums(2.0, new double[] {1, 1}, 1), 0L), new Answer());
        c.onReport(new StepReport(new int[] {1, 2}, 1, 1, new long[] {8, 9}, "z", 3,
                new GradientSums(3.0, new double[] {2, 2}, 2), 0L), new Answer());
        GradientSums[] parts = c.awaitSums(CompletableFuture.completedFuture(null), 1000, 1000, 0, (t, r) -> { });
        assertEquals(2, parts.length, "one sum per executor");
        assertEquals(2.0, parts[0].lossSum(), "in the order of the groups' lowest partitions");
        assertEquals(3.0, parts[1].lossSum());
    }

    @Test
    void reportsOfAnEarlierSegmentAreStopped() {
        var c = new StepCoordinator(1);
        c.reset(4);
        c.publish(STEP_3);
        Answer late = new Answer();
        c.onReport(report(0, 3, 0, 3, 1.0), late);
        assertTrue(late.stopped());
        RunFailure e = assertThrows(RunFailure.class,
                () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 0, (t, r) -> { }));
        assertTrue(e.getMessage().startsWith("step 3: partition 0 (no task of this attempt has reported) sent no sums"),
                "the late report's sums are not taken: " + e.getMessage());
    }

    @Test
    void aLatePartitionIsKilledEachBoundThenTheRunFailsNamingStepPartitionAndExecutor() {
        var c = new StepCoordinator(2);
        c.reset(0);
        c.publish(STEP_3);
        c.onReport(report(0, 0, 0, 3, 1.0), new Answer());
        c.onReport(report(1, 0, 0, -1, 0), new Answer()); // partition 1 got step 3 and then went silent
        List<Long> killed = new ArrayList<>();
        RunFailure e = assertThrows(RunFailure.class,
                () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 2, (taskId, reason) -> killed.add(taskId)));
        assertEquals(List.of(1L, 1L), killed, "partition 1's task killed once per retry");
        assertEquals("step 3: partition 1 (executor exec-0) sent no sums within 0.1 s; the stage was retried 2 times; set "
                + MinibatchSettings.STEP_TIMEOUT + " to wait longer", e.getMessage());
    }

    @Test
    void killsAreCountedOverTheSegmentAsSparkCountsItsStagesFailedAttempts() {
        var c = new StepCoordinator(2);
        c.reset(0);
        c.publish(STEP_3);
        c.onReport(report(0, 0, 0, 3, 1.0), new Answer());
        c.onReport(report(1, 0, 0, -1, 0), new Answer()); // partition 1 got step 3 and then went silent
        assertTrue(!c.retried());
        GradientSums[] sums = c.awaitSums(new CompletableFuture<>(), 50, 50, 2, (taskId, reason) -> {
            // the killed task's stage is retried, and the new attempt computes step 3
            c.onReport(report(0, 0, 1, 3, 2.0), new Answer());
            c.onReport(report(1, 0, 1, 3, 3.0), new Answer());
        });
        assertEquals(2, sums.length, "step 3 from the retried attempt");
        assertTrue(c.retried(), "the segment's stage was retried");
        c.publish(new StepOrder(4, 12L, new long[0], 0L, new double[] {1, 2}, 1000));
        c.onReport(report(0, 0, 1, 4, 1.0), new Answer()); // partition 1 silent again
        List<Long> killed = new ArrayList<>();
        RunFailure e = assertThrows(RunFailure.class,
                () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 2, (taskId, reason) -> killed.add(taskId)));
        assertEquals(List.of(101L), killed, "one kill left of the segment's two");
        assertTrue(e.getMessage().contains("the stage was retried 2 times"), e.getMessage());
        c.reset(1);
        assertTrue(!c.retried(), "a new segment is a new stage");
    }

    @Test
    void aStageWhoseTasksNeverReportGetsASecondStartBoundThenEndsTheWaitWithoutKilling() {
        var c = new StepCoordinator(2);
        c.reset(0);
        c.publish(STEP_3);
        List<Long> killed = new ArrayList<>();
        var starved = new TaskKiller() {
            @Override
            public void kill(long taskId, String reason) {
                killed.add(taskId);
            }

            @Override
            public boolean starved(boolean noneReported) {
                return noneReported; // as when other jobs keep the stage's slots
            }
        };
        var e = assertThrows(StarvedSegment.class, () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 4, starved));
        assertTrue(e.getMessage().startsWith("step 3: partitions 0, 1 (no task of this attempt has reported) sent no sums"),
                e.getMessage());
        assertEquals(List.of(), killed);
    }

    @Test
    void lateExecutorsAreNamedOnceWithTheirPartitions() {
        var c = new StepCoordinator(4);
        c.reset(0);
        c.publish(STEP_3);
        c.onReport(group(new int[] {0, 2}, 0, -1, 0), new Answer()); // executor exec-0 got step 3, then went silent
        c.onReport(group(new int[] {1}, 0, 3, 1.0), new Answer());
        RunFailure e = assertThrows(RunFailure.class,
                () -> c.awaitSums(new CompletableFuture<>(), 50, 50, 0, (taskId, reason) -> { }));
        assertTrue(e.getMessage().startsWith("step 3: partitions 0, 2 (executor exec-0); partition 3 (no task of this "
                + "attempt has reported) sent no sums within "), e.getMessage());
    }

    @Test
    void aJobThatEndsWhileWaitingFailsTheRunWithItsReason() {
        var c = new StepCoordinator(1);
        c.reset(0);
        c.publish(STEP_3);
        CompletableFuture<Object> job = CompletableFuture.failedFuture(new IllegalStateException("executor 3 lost\nmore"));
        RunFailure e = assertThrows(RunFailure.class, () -> c.awaitSums(job, 1000, 1000, 1, (t, r) -> { }));
        assertEquals("step 3: the barrier training job ended before every partition reported: executor 3 lost",
                e.getMessage());
    }

    @Test
    void aTaskWaitsForTheDriverOnlyUpToItsBound() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BarrierStepTask.await(new CompletableFuture<>(), 300, () -> false, "partition 0: nothing within %.1f s"));
        assertEquals("partition 0: nothing within 0.3 s", e.getMessage());
        assertThrows(TaskKilledException.class, () -> BarrierStepTask.await(new CompletableFuture<>(), 5000, () -> true, "x"));
        CompletableFuture<Object> failed = CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("rpc timed out"));
        e = assertThrows(IllegalStateException.class, () -> BarrierStepTask.await(failed, 5000, () -> false, "p: late %.1f s"));
        assertEquals("p: late 5.0 s: rpc timed out", e.getMessage());
        assertArrayEquals(new Object[] {7L}, new Object[] {BarrierStepTask.await(CompletableFuture.completedFuture(7L),
                10, () -> false, "x")});
        assertTrue(TimeUnit.SECONDS.toMillis(1) > 0);
    }
}
