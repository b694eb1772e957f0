package minibatch.training.update;

import minibatch.config.ScheduleConfig.Kind;
import minibatch.config.ScheduleConfig;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRateScheduleTest {
    private static LearningRateSchedule schedule(Kind kind, long warmup) {
        return new LearningRateSchedule(0.1, new ScheduleConfig(kind, 100, 0.5, 0.001, warmup), 1000);
    }

    @Test
    void constant() {
        assertEquals(0.1, schedule(Kind.CONSTANT, 0).rate(1));
        assertEquals(0.1, schedule(Kind.CONSTANT, 0).rate(1000));
    }

    @Test
    void stepDecayHalvesEveryPeriod() {
        LearningRateSchedule s = schedule(Kind.STEP, 0);
        assertEquals(0.1, s.rate(1), 1e-15);
        assertEquals(0.1, s.rate(100), 1e-15);
        assertEquals(0.05, s.rate(101), 1e-15);
        assertEquals(0.025, s.rate(201), 1e-15);
        assertEquals(0.1 / 512, s.rate(1000), 1e-15);
    }

    @Test
    void exponentialDecayIsSmooth() {
        LearningRateSchedule s = schedule(Kind.EXPONENTIAL, 0);
        assertEquals(0.1, s.rate(1), 1e-15);
        assertEquals(0.1 * Math.pow(0.5, 0.5), s.rate(51), 1e-15);
        assertEquals(0.05, s.rate(101), 1e-15);
    }

    @Test
    void cosineGoesFromTheBaseToTheMinimum() {
        LearningRateSchedule s = schedule(Kind.COSINE, 0);
        assertEquals(0.1, s.rate(1), 1e-15);
        assertEquals((0.1 + 0.001) / 2, s.rate(501), 1e-15);
        assertEquals(0.001 + 0.099 * 0.5 * (1 + Math.cos(Math.PI * 999 / 1000)), s.rate(1000), 1e-15);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        LearningRateSchedule s = schedule(Kind.CONSTANT, 10);
        assertEquals(0.01, s.rate(1), 1e-15);
        assertEquals(0.05, s.rate(5), 1e-15);
        assertEquals(0.1, s.rate(10), 1e-15);
        assertEquals(0.1, s.rate(11), 1e-15);
        // warm-up multiplies whatever the schedule gives: step decay's 0.05 at step 150, times 150/300
        assertEquals(0.025, schedule(Kind.STEP, 300).rate(150), 1e-15);
    }
}
