package minibatch.nn;

import java.util.SplittableRandom;

/**
 * Inverted dropout's masks for a batch of rows: {@link BatchBackprop}'s training pass in float64
 * and the float32 pass ({@code minibatch.nn.f32.FloatBatchBackprop}) draw them here, the same way,
 * so that both see the same masks from the same seed.
 */
public final class DropoutMasks {
    private DropoutMasks() {
    }

    /**
     * Writes into {@code scale[l]} ({@code [≥ rows × size(l)]}, every hidden layer l) 0 for a dropped
     * unit (probability {@code dropout}) or {@code 1/(1 - dropout)} for a kept one, so evaluation
     * needs no scaling. Drawn row by row, hidden layer by hidden layer, unit by unit: the order a pass
     * of one row at a time draws them in, so both see the same masks from the same seed.
     */
    static void draw(NetworkShape shape, double[][] scale, int rows, double dropout, SplittableRandom rng) {
        double keep = 1.0 / (1.0 - dropout);
        for (int r = 0; r < rows; r++) {
            for (int l = 1; l < shape.layers(); l++) {
                int n = shape.size(l);
                double[] s = scale[l];
                for (int j = r * n, end = j + n; j < end; j++) {
                    s[j] = rng.nextDouble() < dropout ? 0.0 : keep;
                }
            }
        }
    }

    /**
     * The float64 {@code draw} above into float32 masks: the
     * same draws from {@code rng} in the same order, compared with {@code dropout} in double, so a
     * float32 and a float64 pass from the same seed drop the same units and leave {@code rng} in the
     * same state; a kept unit's scale is {@code 1/(1 - dropout)} rounded to float.
     */
    public static void draw(NetworkShape shape, float[][] scale, int rows, double dropout, SplittableRandom rng) {
        float keep = (float) (1.0 / (1.0 - dropout));
        for (int r = 0; r < rows; r++) {
            for (int l = 1; l < shape.layers(); l++) {
                int n = shape.size(l);
                float[] s = scale[l];
                for (int j = r * n, end = j + n; j < end; j++) {
                    s[j] = rng.nextDouble() < dropout ? 0f : keep;
                }
            }
        }
    }
}
