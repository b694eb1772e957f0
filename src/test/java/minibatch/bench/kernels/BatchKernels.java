package minibatch.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import minibatch.data.LabeledImage;
import minibatch.nn.Backprop;
import minibatch.nn.BatchBackprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.f32.FloatBatchBackprop;

/**
 * Candidate executor kernels for one mini-batch of a one-hidden-layer sigmoid network
 * ({@code inputs-hidden-classes}): forward and backward pass of every row, adding the gradient to
 * {@code gradSum} ({@code [parameterCount]}, same layout as {@link NetworkShape}) and returning the
 * summed loss. Each variant computes the same sums; {@link #production} is the code training runs.
 */
final class BatchKernels {
    private BatchKernels() {
    }

    /**
     * What training runs: the batch through {@link BatchBackprop}, double precision, zero inputs
     * skipped, each sparse product's sums held in SIMD registers.
     */
    static double production(double[] params, LabeledImage[] rows, double[] gradSum, BatchBackprop pass, int[] labels) {
        int inputs = pass.input().length / BatchBackprop.MAX_ROWS;
        for (int r = 0; r < rows.length; r++) {
            rows[r].input(pass.input(), r * inputs);
            labels[r] = rows[r].label();
        }
        return pass.accumulate(params, labels, rows.length, gradSum, 0.0, 0.0, null);
    }

    /** {@link #production} in float32 ({@link FloatBatchBackprop}): float32 weights, inputs and gradient sums. */
    static double productionFloat(float[] params, LabeledImage[] rows, float[] gradSum, FloatBatchBackprop pass,
                                  int[] labels) {
        float[] input = pass.input();
        int inputs = input.length / FloatBatchBackprop.MAX_ROWS;
        for (int r = 0; r < rows.length; r++) {
            byte[] px = rows[r].pixels();
            for (int i = 0, o = r * inputs; i < inputs; i++) {
                input[o + i] = (float) ((px[i] & 0xff) * Pixels.SCALE);
            }
            labels[r] = rows[r].label();
        }
        return pass.accumulate(params, labels, rows.length, gradSum, 0.0, 0.0, null);
    }

    /**
     * {@link Backprop} per row, as training ran until 2026-12-06: the same bits as
     * {@link #production}, with one {@code axpy} per non-zero input and row for the weight gradient.
     */
    static double rowByRow(double[] params, LabeledImage[] rows, double[] gradSum, Backprop pass) {
        double loss = 0;
        for (LabeledImage row : rows) {
            row.input(pass.input());
            loss += pass.accumulate(params, row.label(), gradSum);
        }
        return loss;
    }

    /** The same loops in double precision without skipping zero inputs. */
    static double doubleDense(NetworkShape shape, double[] p, LabeledImage[] rows, double[] g, double[][] buf) {
        int in = shape.size(0);
        int hid = shape.size(1);
        int out = shape.size(2);
        int w1 = shape.weightOffset(0);
        int b1 = shape.biasOffset(0);
        int w2 = shape.weightOffset(1);
        int b2 = shape.biasOffset(1);
        double[] x = buf[0];
        double[] h = buf[1];
        double[] o = buf[2];
        double[] dh = buf[3];
        double loss = 0;
        for (LabeledImage row : rows) {
            Pixels.scale(row.pixels(), x);
            for (int j = 0; j < hid; j++) {
                h[j] = p[b1 + j];
            }
            for (int i = 0; i < in; i++) {
                double xi = x[i];
                int r = w1 + i * hid;
                for (int j = 0; j < hid; j++) {
                    h[j] += xi * p[r + j];
                }
            }
            for (int j = 0; j < hid; j++) {
                h[j] = 1.0 / (1.0 + Math.exp(-h[j]));
            }
            loss += outputLayer(p, h, o, hid, out, w2, b2, row.label(), g);
            for (int i = 0; i < hid; i++) {
                double s = 0;
                int r = w2 + i * out;
                for (int k = 0; k < out; k++) {
                    s += p[r + k] * o[k];
                }
                dh[i] = s * h[i] * (1 - h[i]);
            }
            for (int j = 0; j < hid; j++) {
                g[b1 + j] += dh[j];
            }
            for (int i = 0; i < in; i++) {
                double xi = x[i];
                int r = w1 + i * hid;
                for (int j = 0; j < hid; j++) {
                    g[r + j] += xi * dh[j];
                }
            }
        }
        return loss;
    }

    /** Softmax, loss, output delta into {@code o}, and the output layer's gradient. */
    private static double outputLayer(double[] p, double[] h, double[] o, int hid, int out, int w2, int b2, int label,
                                      double[] g) {
        for (int k = 0; k < out; k++) {
            o[k] = p[b2 + k];
        }
        for (int i = 0; i < hid; i++) {
            int r = w2 + i * out;
            for (int k = 0; k < out; k++) {
                o[k] += h[i] * p[r + k];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < out; k++) {
            max = Math.max(max, o[k]);
        }
        double sum = 0;
        for (int k = 0; k < out; k++) {
            o[k] = Math.exp(o[k] - max);
            sum += o[k];
        }
        for (int k = 0; k < out; k++) {
            o[k] /= sum;
        }
        double loss = -Math.log(o[label] + 1e-7);
        o[label] -= 1.0;
        for (int k = 0; k < out; k++) {
            g[b2 + k] += o[k];
        }
        for (int i = 0; i < hid; i++) {
            int r = w2 + i * out;
            for (int k = 0; k < out; k++) {
                g[r + k] += h[i] * o[k];
            }
        }
        return loss;
    }

    /**
     * Single precision weights, activations and gradient, zero pixels skipped; the sums come back
     * as float ({@code fg}), which would also halve the bytes of a task result.
     */
    static double floatSkipZeros(NetworkShape shape, float[] p, LabeledImage[] rows, float[] g, float[][] buf) {
        int in = shape.size(0);
        int hid = shape.size(1);
        int out = shape.size(2);
        int w1 = shape.weightOffset(0);
        int b1 = shape.biasOffset(0);
        int w2 = shape.weightOffset(1);
        int b2 = shape.biasOffset(1);
        float[] x = buf[0];
        float[] h = buf[1];
        float[] o = buf[2];
        float[] dh = buf[3];
        double loss = 0;
        for (LabeledImage row : rows) {
            byte[] px = row.pixels();
            for (int i = 0; i < in; i++) {
                x[i] = (px[i] & 0xff) * (1f / 255f);
            }
            System.arraycopy(p, b1, h, 0, hid);
            for (int i = 0; i < in; i++) {
                float xi = x[i];
                if (xi == 0f) {
                    continue;
                }
                int r = w1 + i * hid;
                for (int j = 0; j < hid; j++) {
                    h[j] += xi * p[r + j];
                }
            }
            for (int j = 0; j < hid; j++) {
                h[j] = (float) (1.0 / (1.0 + Math.exp(-h[j])));
            }
            System.arraycopy(p, b2, o, 0, out);
            for (int i = 0; i < hid; i++) {
                int r = w2 + i * out;
                for (int k = 0; k < out; k++) {
                    o[k] += h[i] * p[r + k];
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < out; k++) {
                max = Math.max(max, o[k]);
            }
            float sum = 0;
            for (int k = 0; k < out; k++) {
                o[k] = (float) Math.exp(o[k] - max);
                sum += o[k];
            }
            for (int k = 0; k < out; k++) {
                o[k] /= sum;
            }
            loss += -Math.log(o[row.label()] + 1e-7);
            o[row.label()] -= 1f;
            for (int k = 0; k < out; k++) {
                g[b2 + k] += o[k];
            }
            for (int i = 0; i < hid; i++) {
                int r = w2 + i * out;
                float s = 0;
                for (int k = 0; k < out; k++) {
                    g[r + k] += h[i] * o[k];
                    s += p[r + k] * o[k];
                }
                dh[i] = s * h[i] * (1 - h[i]);
            }
            for (int j = 0; j < hid; j++) {
                g[b1 + j] += dh[j];
            }
            for (int i = 0; i < in; i++) {
                float xi = x[i];
                if (xi == 0f) {
                    continue;
                }
                int r = w1 + i * hid;
                for (int j = 0; j < hid; j++) {
                    g[r + j] += xi * dh[j];
                }
            }
        }
        return loss;
    }

    /**
     * The whole batch as matrix products with netlib BLAS (dgemm; the pure-Java or vectorised
     * implementation dev.ludovic.netlib picks at run time). Column-major views of the row-major
     * weights: W_l {@code [in × out]} row-major is W_lᵀ {@code [out × in]} column-major.
     *
     * @param x {@code [rows × inputs]} scaled pixels, row-major (= column-major {@code [inputs × rows]})
     */
    static double blasBatched(NetworkShape shape, double[] p, double[] x, int[] labels, double[] g, double[][] buf) {
        BLAS blas = BLAS.getInstance();
        int n = labels.length;
        int in = shape.size(0);
        int hid = shape.size(1);
        int out = shape.size(2);
        int w1 = shape.weightOffset(0);
        int b1 = shape.biasOffset(0);
        int w2 = shape.weightOffset(1);
        int b2 = shape.biasOffset(1);
        double[] h = buf[0];   // [hid × n]
        double[] o = buf[1];   // [out × n]
        double[] dh = buf[2];  // [hid × n]
        blas.dgemm("N", "N", hid, n, in, 1.0, p, w1, hid, x, 0, in, 0.0, h, 0, hid);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hid; j++) {
                h[r * hid + j] = 1.0 / (1.0 + Math.exp(-(h[r * hid + j] + p[b1 + j])));
            }
        }
        blas.dgemm("N", "N", out, n, hid, 1.0, p, w2, out, h, 0, hid, 0.0, o, 0, out);
        double loss = 0;
        for (int r = 0; r < n; r++) {
            int c = r * out;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < out; k++) {
                o[c + k] += p[b2 + k];
                max = Math.max(max, o[c + k]);
            }
            double sum = 0;
            for (int k = 0; k < out; k++) {
                o[c + k] = Math.exp(o[c + k] - max);
                sum += o[c + k];
            }
            for (int k = 0; k < out; k++) {
                o[c + k] /= sum;
            }
            loss += -Math.log(o[c + labels[r]] + 1e-7);
            o[c + labels[r]] -= 1.0;
            for (int k = 0; k < out; k++) {
                g[b2 + k] += o[c + k];
            }
        }
        // dW2 (col-major [out × hid]) += O · Hᵀ; dH = W2 · O, times σ'
        blas.dgemm("N", "T", out, hid, n, 1.0, o, 0, out, h, 0, hid, 1.0, g, w2, out);
        blas.dgemm("T", "N", hid, n, out, 1.0, p, w2, out, o, 0, out, 0.0, dh, 0, hid);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hid; j++) {
                double hv = h[r * hid + j];
                dh[r * hid + j] *= hv * (1 - hv);
                g[b1 + j] += dh[r * hid + j];
            }
        }
        // dW1 (col-major [hid × in]) += dH · Xᵀ
        blas.dgemm("N", "T", hid, in, n, 1.0, dh, 0, hid, x, 0, in, 1.0, g, w1, hid);
        return loss;
    }
}
