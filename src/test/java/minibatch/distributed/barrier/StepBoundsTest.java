package minibatch.distributed.barrier;

import minibatch.UserError;
import minibatch.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

@org.junit.jupiter.api.extension.ExtendWith(LocalSpark.class)
/** The bounds follow the run's median step time, within the floor and Spark's network timeout. */
class StepBoundsTest {
    private static StepBounds after(StepBounds bounds, long stepMillis, int steps) {
        for (int i = 0; i < steps; i++) {
            bounds.record(stepMillis * 1_000_000);
        }
        return bounds;
    }

    @Test
    void theDerivedBoundIsFiftyMediansWithinTheFloorAndTheNetworkTimeout() {
        assertEquals(10_000, new StepBounds(null, 120_000).stepMillis(), "before any median: the floor");
        assertEquals(10_000, after(new StepBounds(null, 120_000), 2, 64).stepMillis(), "fast steps: the floor");
        assertEquals(15_000, after(new StepBounds(null, 120_000), 300, 64).stepMillis(), "50 x 300 ms");
        assertEquals(120_000, after(new StepBounds(null, 120_000), 5_000, 64).stepMillis(), "at most the network timeout");
        assertEquals(10_000, after(new StepBounds(null, 120_000), 300, 63).stepMillis(), "refreshed every 64 steps");
        StepBounds slow = after(new StepBounds(null, 120_000), 300, 64);
        assertEquals(120_000, slow.startMillis(), "a segment's start: the network timeout");
        assertEquals(240_000, slow.taskWaitMillis(), "a task: the start bound plus the network timeout");
    }

    @Test
    void aFixedBoundBoundsEveryWait() {
        StepBounds fixed = after(new StepBounds(3_000L, 120_000), 300, 64);
        assertEquals(3_000, fixed.stepMillis());
        assertEquals(3_000, fixed.startMillis());
        assertEquals(123_000, fixed.taskWaitMillis());
    }

    @Test
    void aBadSettingIsOneUserError(org.apache.spark.sql.SparkSession spark) {
        try {
            spark.conf().set(minibatch.distributed.MinibatchSettings.STEP_TIMEOUT, "soon");
            var e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> StepBounds.of(spark.conf()));
            assertEquals("spark.minibatch.stepTimeout must be a time such as 30s or 2min (got soon)", e.getMessage());
            spark.conf().set(minibatch.distributed.MinibatchSettings.STEP_TIMEOUT, "45s");
            assertEquals(45_000, StepBounds.of(spark.conf()).startMillis());
        } finally {
            spark.conf().unset(minibatch.distributed.MinibatchSettings.STEP_TIMEOUT);
        }
    }
}
