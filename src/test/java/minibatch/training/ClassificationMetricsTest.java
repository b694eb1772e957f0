package minibatch.training;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationMetricsTest {
    /** 3 classes, counts[actual][predicted], computed by hand below. */
    private final ClassificationMetrics m = new ClassificationMetrics(new long[][] {
        {5, 1, 0},
        {2, 3, 1},
        {0, 0, 0},
    });

    @Test
    void handCountedMetrics() {
        assertEquals(12, m.total());
        assertEquals(8.0 / 12, m.accuracy(), 1e-15);
        assertEquals(5.0 / 7, m.precision(0), 1e-15); // column 0: 5 + 2
        assertEquals(5.0 / 6, m.recall(0), 1e-15); // row 0: 5 + 1
        assertEquals(2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6), m.f1(0), 1e-15);
        assertEquals(3.0 / 4, m.precision(1), 1e-15);
        assertEquals(3.0 / 6, m.recall(1), 1e-15);
        assertEquals(6, m.support(1));
        // class 2 never occurs; it was predicted once (wrongly): precision 0, recall 0, F1 0
        assertEquals(0.0, m.precision(2));
        assertEquals(0.0, m.recall(2));
        assertEquals(0.0, m.f1(2));
        assertEquals((m.f1(0) + m.f1(1)) / 3, m.macroF1(), 1e-15);
    }
}
