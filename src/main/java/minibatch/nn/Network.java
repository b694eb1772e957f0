package minibatch.nn;

import java.io.Serializable;
import java.util.List;

/**
 * A classifier network, whatever its layers: the values of an input row, the classes, the length
 * of its one flat parameter vector and where the weights lie in it, and the {@link Pass} that
 * trains, evaluates and predicts with it. {@link NetworkShape} is the dense network of
 * {@code --hidden}/{@code --activation}; {@code nn.layers.LayerNetwork} the stack of
 * {@code --layers}. Sent to executors inside tasks.
 */
public interface Network extends Serializable {
    /** Values of one input row ({@code H·W·C}, channels last). */
    int inputs();

    int classes();

    /** Length of the flat parameter vector. */
    int parameterCount();

    /**
     * The weight blocks in layout order (biases are not among them): what an initializer draws,
     * in this order, and what weight decay applies to.
     */
    List<WeightBlock> weights();

    /** This thread's pass for this network, made once and reused (its buffers take megabytes). */
    Pass passForThread();

    /** A pass of one row per call, for callers that get rows one at a time (Spark ML's predictRaw, gradient checks). */
    Pass oneRowPass();

    /**
     * Whether the network drops units by layers of its own ({@code dropout0.5} in a layer stack),
     * so that a training pass needs a mask generator whatever {@code --dropout} says.
     */
    default boolean hasDropoutLayers() {
        return false;
    }

    /** Whether the pass runs matrix products on the BLAS (then its name is worth reporting). */
    boolean usesBlas();

    /**
     * One block of weights in the flat parameters.
     *
     * @param offset where it starts
     * @param length how many weights
     * @param fanIn  the inputs of each of its units (a convolution's {@code K·K·C_in}), which sets
     *               the Xavier and He scales
     */
    record WeightBlock(int offset, int length, int fanIn) implements Serializable {
    }
}
