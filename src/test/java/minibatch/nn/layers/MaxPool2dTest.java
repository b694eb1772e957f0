package minibatch.nn.layers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Max-pooling's forward, its first-maximum rule on ties, its floor on odd sizes, and its backward. */
class MaxPool2dTest {
    @Test
    void onATieTheGradientGoesToTheFirstMaximumOnly() {
        MaxPool2d pool = new MaxPool2d(new ImageShape(2, 2, 1), 2, 2, 1);
        double[] out = new double[1];
        pool.forward(null, 0, new double[] {1, 3, 3, 3}, out, 1, null);
        assertEquals(3.0, out[0]);
        double[] dIn = {9, 9, 9, 9}; // stale: the backward writes every entry
        pool.backward(null, 0, null, out, new double[] {0.5}, dIn, null, 1);
        assertArrayEquals(new double[] {0, 0.5, 0, 0}, dIn);
    }

    /**
     * Integer inputs in 0..2, so most windows hold ties, against a scan written over 4-D arrays:
     * the output is the window's maximum, and each output's gradient lands on the first input (ky,
     * then kx) equal to it.
     */
    @ParameterizedTest
    @CsvSource({"4, 4, 2, 2, 2", "5, 5, 1, 2, 2", "7, 6, 3, 3, 2", "5, 7, 2, 2, 1"})
    void matchesAScanOverTheWindowsWithTiesAndOddSizes(int h, int w, int c, int k, int stride) {
        SplittableRandom rng = new SplittableRandom(h * 13L + w + c);
        int rows = 3;
        ImageShape in = new ImageShape(h, w, c);
        MaxPool2d pool = new MaxPool2d(in, k, stride, rows);
        int oh = (h - k) / stride + 1;
        int ow = (w - k) / stride + 1;
        assertEquals(new ImageShape(oh, ow, c), pool.outputShape());
        double[] x = new double[rows * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(3);
        }
        double[] dOut = new double[rows * oh * ow * c];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = rng.nextInt(1, 100); // integers: sums of them are exact
        }
        double[] want = new double[dOut.length];
        double[] wantDIn = new double[x.length];
        int ties = 0;
        for (int r = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        double max = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        int count = 0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int i = ((r * h + oy * stride + ky) * w + ox * stride + kx) * c + ch;
                                if (x[i] > max) {
                                    max = x[i];
                                    at = i;
                                    count = 1;
                                } else if (x[i] == max) {
                                    count++;
                                }
                            }
                        }
                        int o = ((r * oh + oy) * ow + ox) * c + ch;
                        want[o] = max;
                        wantDIn[at] += dOut[o];
                        ties += count > 1 ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(ties > 0, "the inputs hold ties");
        double[] out = new double[dOut.length];
        pool.forward(null, 0, x, out, rows, null);
        assertArrayEquals(want, out);
        double[] dIn = new double[x.length];
        java.util.Arrays.fill(dIn, -1.0);
        pool.backward(null, 0, x, out, dOut, dIn, null, rows);
        assertArrayEquals(wantDIn, dIn);
    }

    @Test
    void anOddInputFloorsAndItsLastRowAndColumnAreNeverRead() {
        ImageShape in = new ImageShape(5, 5, 1);
        MaxPool2d pool = new MaxPool2d(in, 2, 2, 1);
        assertEquals(new ImageShape(2, 2, 1), pool.outputShape());
        double[] x = new double[25];
        for (int y = 0; y < 5; y++) {
            for (int xx = 0; xx < 5; xx++) {
                x[y * 5 + xx] = y == 4 || xx == 4 ? 100 : y * 5 + xx;
            }
        }
        double[] out = new double[4];
        pool.forward(null, 0, x, out, 1, null);
        assertArrayEquals(new double[] {6, 8, 16, 18}, out);
        double[] dIn = new double[25];
        pool.backward(null, 0, x, out, new double[] {1, 2, 3, 4}, dIn, null, 1);
        double[] want = new double[25];
        want[6] = 1;
        want[8] = 2;
        want[16] = 3;
        want[18] = 4;
        assertArrayEquals(want, dIn);
    }
}
