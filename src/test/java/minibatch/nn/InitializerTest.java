package minibatch.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InitializerTest {
    @Test
    void weightsAreSmallGaussiansAndBiasesZero() {
        NetworkShape shape = NetworkShape.of(784, new int[] {50}, 10, Activation.SIGMOID);
        double[] p = Initializer.standardNormal(shape, new SplittableRandom(5));
        int from = shape.weightOffset(0);
        int to = shape.biasOffset(0);
        double mean = Arrays.stream(p, from, to).average().orElseThrow();
        double var = Arrays.stream(p, from, to).map(x -> (x - mean) * (x - mean)).sum() / (to - from);
        assertEquals(0.0, mean, 0.0005);
        assertEquals(0.01, Math.sqrt(var), 0.0003);
        assertEquals(0.0, Arrays.stream(p, shape.biasOffset(0), shape.weightOffset(1)).map(Math::abs).sum());
        assertEquals(0.0, Arrays.stream(p, shape.biasOffset(1), p.length).map(Math::abs).sum());
    }

    @Test
    void xavierAndHeScaleWithFanIn() {
        NetworkShape shape = NetworkShape.of(400, new int[] {300}, 10, Activation.RELU);
        for (Initializer init : new Initializer[] {Initializer.XAVIER, Initializer.HE}) {
            double[] p = init.initialize(shape, new SplittableRandom(6));
            double expected0 = init == Initializer.HE ? Math.sqrt(2.0 / 400) : Math.sqrt(1.0 / 400);
            double expected1 = init == Initializer.HE ? Math.sqrt(2.0 / 300) : Math.sqrt(1.0 / 300);
            assertEquals(expected0, std(p, shape.weightOffset(0), shape.biasOffset(0)), expected0 * 0.01, init + " W1");
            assertEquals(expected1, std(p, shape.weightOffset(1), shape.biasOffset(1)), expected1 * 0.03, init + " W2");
            assertEquals(0.0, Arrays.stream(p, shape.biasOffset(0), shape.weightOffset(1)).map(Math::abs).sum());
        }
        // std keeps the textbook's draws exactly: same numbers as before this option existed
        assertArrayEquals(Initializer.standardNormal(shape, new SplittableRandom(6)),
                Initializer.STD.initialize(shape, new SplittableRandom(6)));
    }

    private static double std(double[] p, int from, int to) {
        double mean = Arrays.stream(p, from, to).average().orElseThrow();
        return Math.sqrt(Arrays.stream(p, from, to).map(x -> (x - mean) * (x - mean)).sum() / (to - from));
    }

    @Test
    void sameSeedSameWeights() {
        NetworkShape shape = NetworkShape.of(20, new int[] {7}, 3, Activation.RELU);
        assertArrayEquals(Initializer.standardNormal(shape, new SplittableRandom(9)),
                Initializer.standardNormal(shape, new SplittableRandom(9)));
        assertFalse(Arrays.equals(Initializer.standardNormal(shape, new SplittableRandom(9)),
                Initializer.standardNormal(shape, new SplittableRandom(10))));
    }
}
