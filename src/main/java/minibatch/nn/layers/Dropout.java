package minibatch.nn.layers;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in a training pass each value is dropped (0) with probability p or kept and
 * scaled by {@code 1/(1-p)}, so evaluation (no generator) passes rows through unchanged. Masks are
 * drawn row by row, value by value, from the pass's {@link SplittableRandom}.
 */
public final class Dropout implements Layer {
    private final double probability;
    private final int size;
    /** {@code [maxRows × size]}: 0 or {@code 1/(1-p)} per value of the last training forward. */
    private final double[] scale;
    /** Whether the last forward drew masks (a training pass). */
    private boolean masked;

    /** For rows of {@code size} values, batches of at most {@code maxRows} rows; {@code probability} in [0, 1). */
    public Dropout(double probability, int size, int maxRows) {
        if (!(probability >= 0.0 && probability < 1.0)) {
            throw new IllegalArgumentException("the dropout probability must be in [0, 1): " + probability);
        }
        this.probability = probability;
        this.size = size;
        this.scale = new double[maxRows * size];
    }

    @Override
    public void forward(double[] params, int offset, double[] in, double[] out, int rows, SplittableRandom masks) {
        masked = masks != null && probability > 0.0;
        if (!masked) {
            System.arraycopy(in, 0, out, 0, rows * size);
            return;
        }
        double keep = 1.0 / (1.0 - probability);
        for (int i = 0, end = rows * size; i < end; i++) {
            scale[i] = masks.nextDouble() < probability ? 0.0 : keep;
            out[i] = in[i] * scale[i];
        }
    }

    @Override
    public void backward(double[] params, int offset, double[] in, double[] out, double[] dOut, double[] dIn,
                         double[] gradSum, int rows) {
        if (dIn == null) {
            return;
        }
        if (!masked) {
            System.arraycopy(dOut, 0, dIn, 0, rows * size);
            return;
        }
        for (int i = 0, end = rows * size; i < end; i++) {
            dIn[i] = dOut[i] * scale[i];
        }
    }
}
