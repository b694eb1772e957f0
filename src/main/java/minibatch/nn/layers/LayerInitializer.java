package minibatch.nn.layers;

import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;

/**
 * Initial parameters of a {@link LayerNetwork}: each layer's W ~ {@code scale · N(0,1)} with the
 * scale of an {@link Initializer} for the layer's fan-in ({@code K·K·C_in} for a convolution, the
 * flattened input for a dense layer), drawn in layout order from a seeded generator; biases 0.
 */
public final class LayerInitializer {
    private LayerInitializer() {
    }

    /**
     * He ({@code sqrt(2 / fan_in)}) for a layer that a relu follows (possibly after dropout or a
     * max-pool), Xavier ({@code sqrt(1 / fan_in)}) for every other, the output layer included.
     *
     * @return a new {@code [parameterCount]} array
     */
    public static double[] initialize(LayerNetwork network, SplittableRandom rng) {
        return initialize(network, null, rng);
    }

    /** Every layer with {@code kind}'s scale (null: He before relu, Xavier otherwise). */
    public static double[] initialize(LayerNetwork network, Initializer kind, SplittableRandom rng) {
        double[] params = new double[network.parameterCount()];
        var layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerNetwork.PlacedLayer l = layers.get(i);
            if (!l.hasParameters()) {
                continue;
            }
            Initializer k = kind != null ? kind : reluFollows(network, i) ? Initializer.HE : Initializer.XAVIER;
            double scale = k.scale(l.token().fanIn(l.input()));
            for (int p = l.weightOffset(); p < l.biasOffset(); p++) {
                params[p] = scale * rng.nextGaussian();
            }
        }
        return params;
    }

    /** Whether the first activation after layer {@code i}, before the next layer with parameters, is relu. */
    private static boolean reluFollows(LayerNetwork network, int i) {
        var layers = network.layers();
        for (int j = i + 1; j < layers.size() && !layers.get(j).hasParameters(); j++) {
            if (layers.get(j).token() instanceof LayerToken.ActivationToken a) {
                return a.activation() == Activation.RELU;
            }
        }
        return false;
    }
}
