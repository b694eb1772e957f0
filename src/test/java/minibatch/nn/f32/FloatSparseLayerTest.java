package minibatch.nn.f32;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 sparse products: the SIMD kernel gives the plain loop's bits at every width (each
 * vector block and tail), a row's forward product skips its zeros, and the columns list each
 * input's rows in order.
 */
class FloatSparseLayerTest {
    @Test
    void simdAndPlainLoopAreBitIdentical() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int n : new int[] {1, 3, 4, 5, 8, 10, 12, 15, 16, 17, 28, 31, 32, 33, 48, 50, 63, 64, 65, 100, 256, 261}) {
            for (int count : new int[] {0, 1, 2, 17, 150}) {
                int rows = count + 3;
                float[] src = new float[rows * n + 5];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (float) rng.nextDouble(-2, 2);
                }
                float[] xs = new float[count + 4];
                int[] offs = new int[count + 4];
                for (int k = 0; k < xs.length; k++) {
                    xs[k] = rng.nextInt(1, 256) / 255f;
                    offs[k] = rng.nextInt(rows) * n + rng.nextInt(2);
                }
                int from = count > 2 ? 2 : 0;
                int to = from + count;
                float[] start = new float[n + 3];
                for (int i = 0; i < start.length; i++) {
                    start[i] = (float) rng.nextDouble(-1, 1);
                }
                float[] plain = start.clone();
                FloatSparseLayer.scalar(xs, offs, from, to, src, plain, 3, 0, n);
                float[] simd = start.clone();
                SimdFloatSparseLayer.addProducts(xs, offs, from, to, src, simd, 3, n);
                assertArrayEquals(plain, simd, 0f, "n=" + n + " count=" + count);
                // and the entries were really added to: the first one by hand
                float want = start[3];
                for (int k = from; k < to; k++) {
                    want += xs[k] * src[offs[k]];
                }
                assertEquals(want, plain[3], 0f, "n=" + n + " count=" + count);
            }
        }
    }

    @Test
    void aRowsForwardProductSkipsItsZeros() {
        // inputs [0, 0.5, 0, 2], weights [4 × 3] row-major
        float[] in = {0f, 0.5f, 0f, 2f};
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        int[] nonZero = new int[4];
        float[] out = {99f, 99f, 99f};
        int count = FloatSparseLayer.forwardRow(in, 0, 4, nonZero, 0, w, 0, out, 0, 3, new float[4], new int[4]);
        assertEquals(2, count);
        assertArrayEquals(new int[] {1, 3}, java.util.Arrays.copyOf(nonZero, 2));
        assertArrayEquals(new float[] {0.5f * 4 + 2 * 10, 0.5f * 5 + 2 * 11, 0.5f * 6 + 2 * 12}, out, 0f);
    }

    @Test
    void columnsListEachInputsRowsInAscendingOrder() {
        // 3 rows of 4 inputs: row 0 has inputs 1, 3; row 1 none; row 2 inputs 0, 1
        float[] in = {0, 0.5f, 0, 0.25f, 0, 0, 0, 0, 0.75f, 0.125f, 0, 0};
        int[] nonZero = {1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        int[] count = {2, 0, 2};
        FloatSparseColumns columns = new FloatSparseColumns(3, 4);
        columns.build(in, nonZero, count, 3, 4, 10);
        assertArrayEquals(new int[] {0, 1, 3, 3, 4}, columns.start);
        assertArrayEquals(new float[] {0.75f, 0.5f, 0.125f, 0.25f}, java.util.Arrays.copyOf(columns.values, 4));
        assertArrayEquals(new int[] {20, 0, 20, 0}, java.util.Arrays.copyOf(columns.rowOffsets, 4));
    }
}
