package minibatch.nn.f32;

import java.util.SplittableRandom;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs, weights and the block-relative comparison the float32 pass's tests share. */
final class FloatPassFixtures {
    private FloatPassFixtures() {
    }

    /** {@code [rows × inputs]} MNIST-like pixels, row-major: ~80% exact zeros, the others {@code k/255}, k in 1..255. */
    static double[] pixels(int rows, int inputs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.2 ? rng.nextInt(1, 256) / 255.0 : 0.0;
        }
        return x;
    }

    /** {@code [rows]} labels in {@code 0..classes)}. */
    static int[] labels(int rows, int classes, long seed) {
        return new SplittableRandom(seed ^ 77).ints(rows, 0, classes).toArray();
    }

    /** {@code init}'s weights with biases {@code 0.1 · N(0,1)} (not 0, so that their use is checked too). */
    static double[] params(NetworkShape shape, Initializer init, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = init.initialize(shape, rng);
        for (int l = 0; l < shape.layers(); l++) {
            for (int j = shape.biasOffset(l), end = j + shape.size(l + 1); j < end; j++) {
                p[j] = 0.1 * rng.nextGaussian();
            }
        }
        return p;
    }

    /** The float32 copy of {@code src}. */
    static float[] toFloat(double[] src) {
        float[] f = new float[src.length];
        MixedPrecision.toFloat(src, f);
        return f;
    }

    /** Rows {@code [rows × inputs]} into both passes' input buffers (the float32 one rounded to nearest). */
    static void load(double[] x, BatchBackprop wide, FloatBatchBackprop narrow) {
        System.arraycopy(x, 0, wide.input(), 0, x.length);
        for (int i = 0; i < x.length; i++) {
            narrow.input()[i] = (float) x[i];
        }
    }

    /**
     * Asserts that every parameter block (W1, b1, W2, ...) of {@code got} is within {@code relative}
     * times the block's largest magnitude in {@code want} of {@code want}, and that no block of
     * {@code want} is all zeros; returns the largest block-relative difference.
     */
    static double assertBlocksClose(NetworkShape shape, double[] want, float[] got, double relative, String what) {
        double worstOverall = 0.0;
        for (int l = 0; l < shape.layers(); l++) {
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            worstOverall = Math.max(worstOverall, assertClose(want, got, w, b, relative, what + " W" + (l + 1)));
            worstOverall = Math.max(worstOverall, assertClose(want, got, b, b + shape.size(l + 1), relative,
                    what + " b" + (l + 1)));
        }
        return worstOverall;
    }

    /** Asserts {@code |want[i] − got[i]| ≤ relative · max|want|} over {@code [from, to)}; returns the largest ratio. */
    static double assertClose(double[] want, float[] got, int from, int to, double relative, String what) {
        double largest = 0.0;
        double worst = 0.0;
        for (int i = from; i < to; i++) {
            largest = Math.max(largest, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(largest > 0.0, what + " is all zeros");
        assertTrue(worst <= relative * largest, what + ": off by " + worst + " against a largest " + largest);
        return worst / largest;
    }

    /** The float32 array widened to double. */
    static double[] widen(float[] src) {
        double[] d = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            d[i] = src[i];
        }
        return d;
    }
}
