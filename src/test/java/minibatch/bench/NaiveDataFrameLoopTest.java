package minibatch.bench;

import java.util.SplittableRandom;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The first-try loop's aggregation buffer sums what training's pass and merge sum, bit for bit. */
class NaiveDataFrameLoopTest {
    private static final NetworkShape SHAPE = NetworkShape.of(16, new int[] {5}, 3, Activation.SIGMOID);

    @Test
    void theBufferSumsWhatTheBatchPassSums() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] params = Initializer.STD.initialize(SHAPE, rng.split());
        double[][] x = new double[10][16];
        int[] labels = new int[10];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 16; i++) {
                x[r][i] = rng.nextInt(4) == 0 ? rng.nextDouble() : 0.0;
            }
            labels[r] = r % 3;
        }
        NaiveDataFrameLoop.Buffer first = new NaiveDataFrameLoop.Buffer(SHAPE.parameterCount());
        NaiveDataFrameLoop.Buffer second = new NaiveDataFrameLoop.Buffer(SHAPE.parameterCount());
        for (int r = 0; r < x.length; r++) {
            Row row = RowFactory.create((double) labels[r], Vectors.dense(x[r]));
            (r < 6 ? first : second).add(SHAPE, params, row);
        }
        GradientSums got = first.merge(second).sums();

        GradientSums want = batch(params, x, labels, 0, 6).merge(batch(params, x, labels, 6, 10));
        assertEquals(10, got.count());
        assertEquals(Double.doubleToRawLongBits(want.lossSum()), Double.doubleToRawLongBits(got.lossSum()));
        assertArrayEquals(want.gradientSum(), got.gradientSum());
    }

    /** Rows {@code [from, to)} through the batch pass training runs. */
    private static GradientSums batch(double[] params, double[][] x, int[] labels, int from, int to) {
        BatchBackprop pass = new BatchBackprop(SHAPE);
        int[] y = new int[to - from];
        for (int r = from; r < to; r++) {
            System.arraycopy(x[r], 0, pass.input(), (r - from) * 16, 16);
            y[r - from] = labels[r];
        }
        double[] gradient = new double[SHAPE.parameterCount()];
        double loss = pass.accumulate(params, y, to - from, gradient, 0.0, 0.0, null);
        return new GradientSums(loss, gradient, to - from);
    }
}
