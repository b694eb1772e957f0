package minibatch.nn.layers;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The im2col convolution against a direct one written over 4-D arrays, and im2col against col2im. */
class Conv2dTest {
    private static double[] gaussian(int n, SplittableRandom rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }

    /**
     * The textbook's direct convolution: x {@code [rows][H][W][C]}, weights {@code [C_out][C_in][K][K]}
     * (PyTorch's order), zero padding tested by bounds, no unrolling.
     */
    private static double[][][][] direct(double[][][][] x, double[][][][] w, double[] b, int stride, int padding) {
        int rows = x.length;
        int h = x[0].length;
        int wd = x[0][0].length;
        int k = w[0][0].length;
        int oh = (h + 2 * padding - k) / stride + 1;
        int ow = (wd + 2 * padding - k) / stride + 1;
        double[][][][] y = new double[rows][oh][ow][w.length];
        for (int r = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int f = 0; f < w.length; f++) {
                        double sum = b[f];
                        for (int c = 0; c < w[f].length; c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride - padding + ky;
                                    int ix = ox * stride - padding + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        sum += x[r][iy][ix][c] * w[f][c][ky][kx];
                                    }
                                }
                            }
                        }
                        y[r][oy][ox][f] = sum;
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"6, 6, 1, 3, 4, 1, 0", "7, 7, 2, 3, 3, 2, 1", "5, 6, 3, 2, 2, 1, 2", "9, 9, 2, 5, 3, 3, 1", "4, 4, 3, 1, 5, 1, 0"})
    void forwardIsTheDirectConvolution(int h, int wd, int c, int k, int filters, int stride, int padding) {
        SplittableRandom rng = new SplittableRandom(h * 31L + k);
        int rows = 3;
        ImageShape in = new ImageShape(h, wd, c);
        double[][][][] x = new double[rows][h][wd][c];
        double[] flatX = new double[rows * in.size()];
        for (int r = 0, i = 0; r < rows; r++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < wd; xx++) {
                    for (int ch = 0; ch < c; ch++, i++) {
                        x[r][y][xx][ch] = rng.nextGaussian();
                        flatX[i] = x[r][y][xx][ch]; // NHWC
                    }
                }
            }
        }
        double[][][][] w = new double[filters][c][k][k];
        double[] b = gaussian(filters, rng);
        int offset = 5; // parameters need not start at 0
        double[] params = new double[offset + k * k * c * filters + filters];
        for (int f = 0; f < filters; f++) {
            for (int ch = 0; ch < c; ch++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        w[f][ch][ky][kx] = rng.nextGaussian();
                        params[offset + ((ky * k + kx) * c + ch) * filters + f] = w[f][ch][ky][kx]; // [K·K·C_in × C_out]
                    }
                }
            }
        }
        System.arraycopy(b, 0, params, offset + k * k * c * filters, filters);
        Conv2d conv = new Conv2d(in, k, filters, stride, padding, rows);
        ImageShape outShape = conv.outputShape();
        double[] out = new double[rows * outShape.size()];
        conv.forward(params, offset, flatX, out, rows, null);
        double[][][][] want = direct(x, w, b, stride, padding);
        assertEquals(want[0].length, outShape.height());
        assertEquals(want[0][0].length, outShape.width());
        int i = 0;
        for (double[][][] row : want) {
            for (double[][] line : row) {
                for (double[] pixel : line) {
                    for (double v : pixel) {
                        assertEquals(v, out[i], 1e-12, "output " + i);
                        i++;
                    }
                }
            }
        }
        assertEquals(out.length, i);
    }

    @ParameterizedTest
    @CsvSource({"6, 6, 1, 3, 1, 0", "7, 7, 2, 3, 2, 1", "5, 6, 3, 2, 1, 2", "9, 9, 2, 5, 3, 1", "8, 5, 2, 3, 3, 4"})
    void col2imIsTheAdjointOfIm2col(int h, int wd, int c, int k, int stride, int padding) {
        SplittableRandom rng = new SplittableRandom(h * 17L + padding);
        int rows = 2;
        Im2col unroll = new Im2col(new ImageShape(h, wd, c), k, stride, padding);
        double[] x = gaussian(rows * h * wd * c, rng);
        double[] y = gaussian(rows * unroll.positions() * unroll.columns(), rng);
        double[] col = gaussian(y.length, rng); // stale values: im2col must overwrite every entry, padding included
        unroll.im2col(x, rows, col);
        double[] back = new double[x.length];
        unroll.col2im(y, rows, back);
        double colDotY = 0;
        double xDotBack = 0;
        double scale = 0;
        for (int i = 0; i < y.length; i++) {
            colDotY += col[i] * y[i];
            scale += Math.abs(col[i] * y[i]);
        }
        for (int i = 0; i < x.length; i++) {
            xDotBack += x[i] * back[i];
        }
        assertTrue(scale > 1, "the windows cover the input: " + scale);
        assertEquals(colDotY, xDotBack, 1e-12 * scale);
        double[] start = gaussian(x.length, rng);
        double[] added = start.clone();
        unroll.col2im(y, rows, added);
        for (int i = 0; i < x.length; i++) {
            assertEquals(start[i] + back[i], added[i], 1e-12, "col2im adds onto what is there: " + i);
        }
    }
}
