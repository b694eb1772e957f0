package minibatch.nn.f32;

import java.util.Arrays;
import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static minibatch.nn.f32.FloatPassFixtures.assertBlocksClose;
import static minibatch.nn.f32.FloatPassFixtures.labels;
import static minibatch.nn.f32.FloatPassFixtures.params;
import static minibatch.nn.f32.FloatPassFixtures.pixels;
import static minibatch.nn.f32.FloatPassFixtures.toFloat;
import static minibatch.nn.f32.FloatPassFixtures.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the float32 pass returns is a sum over its rows (one call over n rows is n one-row calls
 * added up), the same seed gives the same bits, and the float32 sums go into float64 exactly.
 */
class FloatGradientSumsTest {
    /** Sparse first layer, an sgemm hidden layer, a sparse output layer. */
    private static final NetworkShape SHAPE = NetworkShape.of(784, new int[] {160, 130}, 10, Activation.RELU);
    private static final int ROWS = 60;

    private static FloatBatchBackprop loaded(double[] x, int rows) {
        FloatBatchBackprop pass = new FloatBatchBackprop(SHAPE);
        for (int i = 0; i < rows * SHAPE.inputs(); i++) {
            pass.input()[i] = (float) x[i];
        }
        return pass;
    }

    @ParameterizedTest(name = "dropout {0}")
    @ValueSource(doubles = {0.0, 0.3})
    void oneCallOverNRowsIsTheSumOfNOneRowCalls(double dropout) {
        float[] params = toFloat(params(SHAPE, Initializer.HE, 3));
        double[] x = pixels(ROWS, 784, 8);
        int[] y = labels(ROWS, 10, 8);
        float[] batch = new float[params.length];
        double batchLoss = loaded(x, ROWS).accumulate(params, y, ROWS, batch, 0.0, dropout, new SplittableRandom(4));

        // masks are drawn row by row, so n one-row calls on one generator see the batch's masks
        FloatBatchBackprop one = FloatBatchBackprop.oneRow(SHAPE);
        SplittableRandom rng = new SplittableRandom(4);
        float[] rows = new float[params.length];
        double rowsLoss = 0.0;
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < 784; i++) {
                one.input()[i] = (float) x[r * 784 + i];
            }
            rowsLoss = one.accumulate(params, new int[] {y[r]}, 1, rows, rowsLoss, dropout, rng);
        }
        assertEquals(rowsLoss, batchLoss, 1e-6 * rowsLoss);
        assertBlocksClose(SHAPE, widen(rows), batch, 1e-5, "one call against " + ROWS + " one-row calls");
    }

    @Test
    void theSameSeedGivesTheSameBits() {
        float[] params = toFloat(params(SHAPE, Initializer.HE, 3));
        double[] x = pixels(ROWS, 784, 9);
        int[] y = labels(ROWS, 10, 9);
        float[] first = new float[params.length];
        float[] second = new float[params.length];
        double firstLoss = loaded(x, ROWS).accumulate(params, y, ROWS, first, 0.0, 0.25, new SplittableRandom(12));
        double secondLoss = loaded(x, ROWS).accumulate(params, y, ROWS, second, 0.0, 0.25, new SplittableRandom(12));
        assertEquals(Double.doubleToRawLongBits(firstLoss), Double.doubleToRawLongBits(secondLoss));
        assertArrayEquals(first, second);
        float[] otherSeed = new float[params.length];
        loaded(x, ROWS).accumulate(params, y, ROWS, otherSeed, 0.0, 0.25, new SplittableRandom(13));
        assertFalse(Arrays.equals(first, otherSeed), "another seed draws other masks");
    }

    @Test
    void aSecondCallAddsToTheSums() {
        float[] params = toFloat(params(SHAPE, Initializer.HE, 3));
        double[] x = pixels(ROWS, 784, 10);
        int[] y = labels(ROWS, 10, 10);
        FloatBatchBackprop pass = loaded(x, ROWS);
        float[] once = new float[params.length];
        double loss = pass.accumulate(params, y, ROWS, once, 0.0, 0.0, null);
        float[] twice = new float[params.length];
        double loss2 = pass.accumulate(params, y, ROWS, twice, 0.0, 0.0, null);
        loss2 = pass.accumulate(params, y, ROWS, twice, loss2, 0.0, null);
        assertEquals(2 * loss, loss2, 1e-12 * loss);
        double[] doubled = widen(once);
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        assertBlocksClose(SHAPE, doubled, twice, 1e-6, "two calls");
    }

    @Test
    void theFloatCopyRoundsToNearestAndFloatSumsAddIntoDoublesExactly() {
        double[] master = {0.1, -1.0 / 3, 1e-40, 3.4e39, 0.0};
        float[] copy = new float[master.length];
        MixedPrecision.toFloat(master, copy);
        assertArrayEquals(new float[] {0.1f, -1f / 3, 1e-40f, Float.POSITIVE_INFINITY, 0f}, copy);

        // two partitions' float32 sums, added on the driver in float64: no float rounding on the way
        double[] total = {1.0, 0.5, 0.0};
        MixedPrecision.addInto(new float[] {0.1f, 1e-8f, 16777217f}, total);
        MixedPrecision.addInto(new float[] {0.1f, -2f, 1f}, total);
        assertEquals(1.0 + 2 * (double) 0.1f, total[0], 0.0);
        assertEquals(0.5 + (double) 1e-8f - 2.0, total[1], 0.0);
        assertEquals(16777216.0 + 1.0, total[2], 0.0, "16777217f is 16777216; + 1 exactly in double");
        assertThrows(IllegalArgumentException.class, () -> MixedPrecision.toFloat(new double[3], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> MixedPrecision.addInto(new float[2], new double[3]));
    }
}
