package minibatch.nn;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The register-blocked products of a sparse layer give, bit for bit, what one {@link Axpy} per
 * factor gives (the row-by-row loops they replace); the columns list each input's rows in order;
 * and a reused per-thread pass computes what a fresh one does.
 */
class SparseLayerTest {
    @Test
    void simdPlainAndOneAxpyPerFactorAreBitIdentical() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int n : new int[] {1, 7, 8, 9, 10, 31, 32, 33, 40, 50, 63, 64, 65, 100, 256, 261}) {
            for (int count : new int[] {0, 1, 2, 17, 150}) {
                int rows = count + 3;
                double[] src = rng.doubles((long) rows * n + 5, -2, 2).toArray();
                double[] xs = new double[count + 4];
                int[] offs = new int[count + 4];
                for (int k = 0; k < xs.length; k++) {
                    xs[k] = rng.nextInt(1, 256) / 255.0;
                    offs[k] = rng.nextInt(rows) * n + rng.nextInt(2);
                }
                int from = count > 2 ? 2 : 0;
                int to = from + count;
                double[] start = rng.doubles(n + 3, -1, 1).toArray();
                double[] axpy = start.clone();
                for (int k = from; k < to; k++) {
                    Axpy.scalar(xs[k], src, offs[k], axpy, 3, n);
                }
                double[] plain = start.clone();
                SparseLayer.scalar(xs, offs, from, to, src, plain, 3, 0, n);
                double[] simd = start.clone();
                SimdSparseLayer.addProducts(xs, offs, from, to, src, simd, 3, n);
                assertArrayEquals(axpy, plain, 0.0, "plain, n=" + n + " count=" + count);
                assertArrayEquals(axpy, simd, 0.0, "simd, n=" + n + " count=" + count);
            }
        }
    }

    @Test
    void columnsListEachInputsRowsInAscendingOrder() {
        // 3 rows of 4 inputs: row 0 has inputs 1, 3; row 1 none; row 2 inputs 0, 1
        double[] in = {0, 0.5, 0, 0.25, 0, 0, 0, 0, 0.75, 0.125, 0, 0};
        int[] nonZero = {1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        int[] count = {2, 0, 2};
        SparseColumns columns = new SparseColumns(3, 4);
        columns.build(in, nonZero, count, 3, 4, 10);
        assertArrayEquals(new int[] {0, 1, 3, 3, 4}, columns.start);
        assertArrayEquals(new double[] {0.75, 0.5, 0.125, 0.25}, java.util.Arrays.copyOf(columns.values, 4));
        assertArrayEquals(new int[] {20, 0, 20, 0}, java.util.Arrays.copyOf(columns.rowOffsets, 4));
    }

    @Test
    void aReusedPassComputesWhatAFreshOneDoes() {
        NetworkShape shape = new NetworkShape(new int[] {64, 40, 10}, Activation.RELU);
        NetworkShape other = new NetworkShape(new int[] {64, 20, 10}, Activation.RELU);
        BatchBackprop pass = BatchBackprop.forThread(shape);
        assertSame(pass, BatchBackprop.forThread(shape));
        double[] params = Initializer.HE.initialize(shape, new SplittableRandom(2));
        SplittableRandom rng = new SplittableRandom(9);
        int[] labels = rng.ints(BatchBackprop.MAX_ROWS, 0, 10).toArray();
        for (int i = 0; i < BatchBackprop.MAX_ROWS * 64; i++) {
            pass.input()[i] = rng.nextDouble() < 0.3 ? rng.nextDouble() : 0.0;
        }
        double[] input = java.util.Arrays.copyOf(pass.input(), 37 * 64);
        // a large call with dropout first leaves every buffer written
        pass.accumulate(params, labels, BatchBackprop.MAX_ROWS, new double[params.length], 0.0, 0.4, new SplittableRandom(1));
        System.arraycopy(input, 0, pass.input(), 0, input.length);
        double[] reused = new double[params.length];
        double reusedLoss = pass.accumulate(params, labels, 37, reused, 0.0, 0.0, null);
        BatchBackprop fresh = new BatchBackprop(shape);
        System.arraycopy(input, 0, fresh.input(), 0, input.length);
        double[] want = new double[params.length];
        double wantLoss = fresh.accumulate(params, labels, 37, want, 0.0, 0.0, null);
        assertEquals(wantLoss, reusedLoss, 0.0);
        assertArrayEquals(want, reused, 0.0);
        assertNotSame(pass, BatchBackprop.forThread(other), "another shape gets its own pass");
    }
}
