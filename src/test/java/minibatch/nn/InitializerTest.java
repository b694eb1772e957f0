package minibatch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
    void sameSeedSameWeights() {
        NetworkShape shape = NetworkShape.of(20, new int[] {7}, 3, Activation.RELU);
        assertArrayEquals(Initializer.standardNormal(shape, new SplittableRandom(9)),
                Initializer.standardNormal(shape, new SplittableRandom(9)));
        assertFalse(Arrays.equals(Initializer.standardNormal(shape, new SplittableRandom(9)),
                Initializer.standardNormal(shape, new SplittableRandom(10))));
    }
}
