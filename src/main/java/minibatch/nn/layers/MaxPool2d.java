package minibatch.nn.layers;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Max over K×K windows at stride S, per channel, no padding: {@code OH = (H - K) / S + 1} (floor, as
 * PyTorch and ONNX do by default, so the last rows and columns of an odd input may be left out). The
 * forward keeps the position of each output's maximum, the first in scan order ({@code ky}, then
 * {@code kx}) on ties, and the backward routes each output's gradient to that one input.
 */
public final class MaxPool2d implements Layer {
    private final ImageShape in;
    private final ImageShape out;
    private final int window;
    private final int stride;
    /** {@code [maxRows × OH·OW·C]}: the index in the input buffer of each output's maximum. */
    private final int[] argmax;

    /** A layer for rows of shape {@code in}, batches of at most {@code maxRows} rows. */
    public MaxPool2d(ImageShape in, int window, int stride, int maxRows) {
        if (in.height() < window || in.width() < window) {
            throw new IllegalArgumentException("a " + window + "x" + window + " window does not fit " + in);
        }
        this.in = in;
        this.window = window;
        this.stride = stride;
        this.out = new ImageShape((in.height() - window) / stride + 1, (in.width() - window) / stride + 1, in.channels());
        if ((long) maxRows * out.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxpool" + window + " on " + in + ": too many rows (" + maxRows + ")");
        }
        this.argmax = new int[maxRows * out.size()];
    }

    /** The output shape: {@code OH × OW × C}. */
    public ImageShape outputShape() {
        return out;
    }

    @Override
    public void forward(double[] params, int offset, double[] x, double[] y, int rows, SplittableRandom masks) {
        int c = in.channels();
        int w = in.width();
        int o = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * in.size();
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    int corner = row + (oy * stride * w + ox * stride) * c;
                    for (int ch = 0; ch < c; ch++, o++) {
                        int best = corner + ch;
                        for (int ky = 0; ky < window; ky++) {
                            for (int kx = 0; kx < window; kx++) {
                                int i = corner + (ky * w + kx) * c + ch;
                                if (x[i] > x[best]) { // strict: the first maximum stays on ties
                                    best = i;
                                }
                            }
                        }
                        argmax[o] = best;
                        y[o] = x[best];
                    }
                }
            }
        }
    }

    @Override
    public void backward(double[] params, int offset, double[] x, double[] y, double[] dOut, double[] dIn,
                         double[] gradSum, int rows) {
        if (dIn == null) {
            return;
        }
        Arrays.fill(dIn, 0, rows * in.size(), 0.0);
        for (int o = 0, end = rows * out.size(); o < end; o++) {
            dIn[argmax[o]] += dOut[o]; // += : windows overlap when the stride is below the window
        }
    }
}
