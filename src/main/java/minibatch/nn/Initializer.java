package minibatch.nn;

import java.util.SplittableRandom;

/** Initial parameters. Weights are drawn from a seeded generator; biases start at 0. */
public final class Initializer {
    /** The textbook's weight scale: W ~ 0.01 · N(0, 1). */
    public static final double STD_SCALE = 0.01;

    private Initializer() {
    }

    /**
     * A new flat parameter vector ({@code [parameterCount]}) with every weight drawn as
     * {@code 0.01 · N(0,1)} in layout order (W1 row-major, then W2, ...) and every bias 0.
     */
    public static double[] standardNormal(NetworkShape shape, SplittableRandom rng) {
        double[] params = new double[shape.parameterCount()];
        for (int l = 0; l < shape.layers(); l++) {
            int from = shape.weightOffset(l);
            int to = shape.biasOffset(l);
            for (int i = from; i < to; i++) {
                params[i] = STD_SCALE * rng.nextGaussian();
            }
        }
        return params;
    }
}
