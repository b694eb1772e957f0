package minibatch.nn.layers;

import java.util.Arrays;

/**
 * The unrolling that makes a convolution one matrix product: {@link #im2col} copies every K×K
 * window of a batch of NHWC rows into one row of {@code col [rows·OH·OW × K·K·C]} (window
 * positions row-major, each row ordered {@code (ky, kx, c)}: the row order of the weights
 * {@code [K·K·C × C_out]}); padding reads as 0. {@link #col2im} is its adjoint: it adds every
 * column entry back onto the input value it was copied from.
 */
final class Im2col {
    private final ImageShape in;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outHeight;
    private final int outWidth;

    Im2col(ImageShape in, int kernel, int stride, int padding) {
        this.in = in;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outHeight = (in.height() + 2 * padding - kernel) / stride + 1;
        this.outWidth = (in.width() + 2 * padding - kernel) / stride + 1;
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("a " + kernel + "x" + kernel + " kernel does not fit " + in + " padded by " + padding);
        }
    }

    /** Window positions per row: {@code OH · OW}. */
    int positions() {
        return outHeight * outWidth;
    }

    /** Values per window: {@code K · K · C}. */
    int columns() {
        return kernel * kernel * in.channels();
    }

    /** The output's shape with {@code channels} filters. */
    ImageShape outputShape(int channels) {
        return new ImageShape(outHeight, outWidth, channels);
    }

    /** Writes {@code col [rows·OH·OW × K·K·C]} from {@code x [rows × H·W·C]}. */
    void im2col(double[] x, int rows, double[] col) {
        int c = in.channels();
        int w = in.width();
        int h = in.height();
        int kc = kernel * c;
        int window = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * in.size();
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++, window++) {
                    int y0 = oy * stride - padding;
                    int x0 = ox * stride - padding;
                    for (int ky = 0; ky < kernel; ky++) {
                        int y = y0 + ky;
                        int dst = window * columns() + ky * kc;
                        if (y < 0 || y >= h) {
                            Arrays.fill(col, dst, dst + kc, 0.0);
                        } else if (x0 >= 0 && x0 + kernel <= w) {
                            // the whole kernel row lies inside: NHWC keeps its K·C values contiguous
                            System.arraycopy(x, row + (y * w + x0) * c, col, dst, kc);
                        } else {
                            for (int kx = 0; kx < kernel; kx++) {
                                int xx = x0 + kx;
                                if (xx < 0 || xx >= w) {
                                    Arrays.fill(col, dst + kx * c, dst + (kx + 1) * c, 0.0);
                                } else {
                                    System.arraycopy(x, row + (y * w + xx) * c, col, dst + kx * c, c);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** <b>Adds</b> {@code col [rows·OH·OW × K·K·C]} back into {@code dx [rows × H·W·C]}; entries in the padding are dropped. */
    void col2im(double[] col, int rows, double[] dx) {
        int c = in.channels();
        int w = in.width();
        int h = in.height();
        int kc = kernel * c;
        int window = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * in.size();
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++, window++) {
                    int y0 = oy * stride - padding;
                    int x0 = ox * stride - padding;
                    for (int ky = 0; ky < kernel; ky++) {
                        int y = y0 + ky;
                        if (y < 0 || y >= h) {
                            continue;
                        }
                        int src = window * columns() + ky * kc;
                        for (int kx = 0; kx < kernel; kx++) {
                            int xx = x0 + kx;
                            if (xx < 0 || xx >= w) {
                                continue;
                            }
                            int dst = row + (y * w + xx) * c;
                            int s = src + kx * c;
                            for (int ch = 0; ch < c; ch++) {
                                dx[dst + ch] += col[s + ch];
                            }
                        }
                    }
                }
            }
        }
    }
}
