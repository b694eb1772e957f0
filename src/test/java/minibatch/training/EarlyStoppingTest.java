package minibatch.training;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {
    private static EpochRecord epoch(int e, double validationLoss) {
        return new EpochRecord(e, e * 10L, 1, 0.5, validationLoss, 0.5, 1, 0.5);
    }

    @Test
    void stopsAfterPatienceEvaluationsWithoutImprovementAndKeepsTheBestWeights() {
        EarlyStopping early = new EarlyStopping(2);
        double[] w = {1, 2};
        assertFalse(early.observe(epoch(1, 0.9), w));
        w[0] = 10;
        EpochRecord best = epoch(2, 0.5);
        assertFalse(early.observe(best, w));
        w[0] = 20; // later changes to the live weights must not touch the kept copy
        assertFalse(early.observe(epoch(3, 0.6), w));
        assertTrue(early.observe(epoch(4, 0.5), w), "equal is not an improvement");
        assertSame(best, early.best());
        assertArrayEquals(new double[] {10, 2}, early.bestParams());
    }

    @Test
    void improvementResetsThePatienceAndZeroNeverStops() {
        EarlyStopping early = new EarlyStopping(2);
        assertFalse(early.observe(epoch(1, 0.9), new double[1]));
        assertFalse(early.observe(epoch(2, 1.0), new double[1]));
        assertFalse(early.observe(epoch(3, 0.8), new double[1]));
        assertFalse(early.observe(epoch(4, 1.0), new double[1]));
        EarlyStopping never = new EarlyStopping(0);
        for (int e = 1; e < 20; e++) {
            assertFalse(never.observe(epoch(e, e), new double[1]));
        }
    }
}
