package minibatch.nn;

import java.util.SplittableRandom;
import minibatch.Names;

/**
 * Initial weights: {@code W_l ~ scale_l · N(0,1)}, drawn in layout order (W1 row-major, then W2,
 * ...) from a seeded generator; biases start at 0.
 */
public enum Initializer {
    /** The textbook's scale 0.01 for every layer. */
    STD,
    /** Xavier/Glorot for sigmoid and tanh: {@code sqrt(1 / fan_in)}. */
    XAVIER,
    /** He for ReLU: {@code sqrt(2 / fan_in)}. */
    HE;

    /** The textbook's weight scale: W ~ 0.01 · N(0, 1). */
    public static final double STD_SCALE = 0.01;

    /** Standard deviation of the weights of a layer with {@code fanIn} inputs. */
    public double scale(int fanIn) {
        return switch (this) {
            case STD -> STD_SCALE;
            case XAVIER -> Math.sqrt(1.0 / fanIn);
            case HE -> Math.sqrt(2.0 / fanIn);
        };
    }

    /** A new flat parameter vector ({@code [parameterCount]}): the weight blocks drawn in layout order, biases 0. */
    public double[] initialize(Network network, SplittableRandom rng) {
        double[] params = new double[network.parameterCount()];
        for (Network.WeightBlock block : network.weights()) {
            double scale = scale(block.fanIn());
            for (int i = block.offset(), end = block.offset() + block.length(); i < end; i++) {
                params[i] = scale * rng.nextGaussian();
            }
        }
        return params;
    }

    /** The textbook initialisation: every weight {@code 0.01 · N(0,1)}, biases 0. */
    public static double[] standardNormal(NetworkShape shape, SplittableRandom rng) {
        return STD.initialize(shape, rng);
    }

    public static Initializer parse(String name) {
        return Names.parse(Initializer.class, name, "initializer");
    }

    public String id() {
        return Names.id(this);
    }
}
