package minibatch.nn.layers;

import java.util.ArrayList;
import java.util.List;
import minibatch.nn.Network;
import minibatch.nn.Pass;

/**
 * A network of layers and the layout of its parameters in one flat {@code double[]}: the rows'
 * input shape, the spec's layers, then the output layer {@code dense<classes>} that the network
 * appends (softmax follows it in the pass). Each layer with parameters has W at
 * {@link PlacedLayer#weightOffset()} and b right after it, in layer order: W1, b1, W2, b2, ... For
 * a spec of dense layers and activations this is {@code nn.NetworkShape}'s layout. Immutable.
 */
public final class LayerNetwork implements Network {
    private static final long serialVersionUID = 1L;

    /**
     * One layer in place: its token, the shapes of its input and output rows, and where its
     * parameters are ({@code weightCount} weights from {@code weightOffset}, then {@code biasCount}
     * biases; both 0 for a layer without parameters, whose offset is where the next one starts).
     */
    public record PlacedLayer(LayerToken token, ImageShape input, ImageShape output, int weightOffset,
                              int weightCount, int biasCount) implements java.io.Serializable {
        /** Offset of b ({@code [biasCount]}) in the flat parameters. */
        public int biasOffset() {
            return weightOffset + weightCount;
        }

        /** Whether the layer has parameters (a convolution or a dense layer). */
        public boolean hasParameters() {
            return weightCount + biasCount > 0;
        }
    }

    private final ImageShape input;
    private final int classes;
    private final List<PlacedLayer> layers;
    private final int parameterCount;

    private LayerNetwork(ImageShape input, int classes, List<PlacedLayer> layers, int parameterCount) {
        this.input = input;
        this.classes = classes;
        this.layers = List.copyOf(layers);
        this.parameterCount = parameterCount;
    }

    /**
     * The spec's layers on rows of shape {@code input}, then {@code dense<classes>}.
     *
     * @throws IllegalArgumentException when a layer does not fit its input ({@link LayerSpec#shapes}'s
     *         message), or the network has more than 2^31 parameters
     */
    public static LayerNetwork of(ImageShape input, LayerSpec spec, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a network needs at least one class: " + classes);
        }
        List<LayerToken> tokens = new ArrayList<>(spec.tokens());
        tokens.add(new LayerToken.DenseToken("dense" + classes, classes));
        List<ImageShape> outputs = new ArrayList<>(spec.shapes(input));
        outputs.add(ImageShape.flat(classes));
        List<PlacedLayer> layers = new ArrayList<>();
        ImageShape in = input;
        long offset = 0;
        for (int i = 0; i < tokens.size(); i++) {
            LayerToken token = tokens.get(i);
            long weights = token.weightCount(in);
            if (offset + weights + token.biasCount() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("layer " + (i + 1) + " '" + token.text() + "': the network has more than 2^31 parameters");
            }
            layers.add(new PlacedLayer(token, in, outputs.get(i), (int) offset, (int) weights, token.biasCount()));
            offset += weights + token.biasCount();
            in = outputs.get(i);
        }
        return new LayerNetwork(input, classes, layers, (int) offset);
    }

    @Override
    public int inputs() {
        return input.size();
    }

    @Override
    public List<WeightBlock> weights() {
        List<WeightBlock> blocks = new ArrayList<>();
        for (PlacedLayer l : layers) {
            if (l.weightCount() > 0) {
                blocks.add(new WeightBlock(l.weightOffset(), l.weightCount(), l.token().fanIn(l.input())));
            }
        }
        return blocks;
    }

    @Override
    public Pass passForThread() {
        return LayerPass.forThread(this);
    }

    @Override
    public Pass oneRowPass() {
        return new LayerPass(this, 1);
    }

    @Override
    public boolean hasDropoutLayers() {
        return layers.stream().anyMatch(l -> l.token() instanceof LayerToken.DropoutToken);
    }

    /** Convolutions and dense layers run as matrix products on the BLAS. */
    @Override
    public boolean usesBlas() {
        return layers.stream().anyMatch(PlacedLayer::hasParameters);
    }

    /** The shape of an input row, {@code [H × W × C]} NHWC. */
    public ImageShape input() {
        return input;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** Every layer in order, the output layer {@code dense<classes>} last (softmax is not a layer). */
    public List<PlacedLayer> layers() {
        return layers;
    }

    /** Length of the flat parameter vector. */
    @Override
    public int parameterCount() {
        return parameterCount;
    }

    /**
     * The values a pass keeps per row of its batch: every layer's output, the input, the two
     * gradient buffers, a convolution's columns ({@code OH·OW·K·K·C_in}), a max-pool's positions
     * and a dropout's masks. {@link LayerPass} sizes its batch by it.
     */
    public long bufferValuesPerRow() {
        long values = input.size() + 2L * maxWidth();
        for (PlacedLayer l : layers) {
            values += l.output().size();
            if (l.token() instanceof LayerToken.ConvToken conv) {
                values += (long) l.output().height() * l.output().width() * conv.kernel() * conv.kernel() * l.input().channels();
            } else if (l.token() instanceof LayerToken.MaxPoolToken || l.token() instanceof LayerToken.DropoutToken) {
                values += l.output().size();
            }
        }
        return values;
    }

    /** The largest row any layer reads or writes, in values: sizes per-row work buffers. */
    public int maxWidth() {
        int max = input.size();
        for (PlacedLayer l : layers) {
            max = Math.max(max, l.output().size());
        }
        return max;
    }

    /**
     * The hidden layers as a spec, without the output layer the network appends: e.g.
     * {@code conv5x5x16,relu,maxpool2}; {@link LayerSpec#parse} of it and {@link #of} with the same
     * input and classes give an equal network.
     */
    public String spec() {
        return String.join(",", layers.subList(0, layers.size() - 1).stream().map(l -> l.token().canonical()).toList());
    }

    /** E.g. {@code 28x28x1 conv5x5x16 relu maxpool2 dense10 softmax}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(input.toString());
        for (PlacedLayer l : layers) {
            s.append(' ').append(l.token().canonical());
        }
        return s.append(" softmax").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNetwork other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
