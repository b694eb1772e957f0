package minibatch.bench;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TimingsTest {
    @Test
    void statisticsSkipTheWarmupAndUseNearestRank() {
        double[] ms = {100, 100, 5, 1, 4, 2, 3, 10, 6, 7, 8, 9};
        Timings t = new Timings(ms, 2);
        assertEquals(10, t.measuredSteps());
        assertEquals(5, t.median()); // sorted 1..10, rank ceil(0.5*10)=5
        assertEquals(9, t.p90()); // rank ceil(0.9*10)=9
        assertEquals(Double.NaN, new Timings(new double[] {1}, 1).median());
    }
}
