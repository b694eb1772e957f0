package minibatch.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture of a fully connected network and the layout of its parameters in one flat
 * {@code double[]}: for each layer l (0-based) first W_l as {@code [in_l × out_l]} row-major, then
 * b_l as {@code [out_l]}. Hidden layers use {@link #hidden()}; the output layer is softmax.
 */
public final class NetworkShape implements Network {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final Activation hidden;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int parameterCount;

    /**
     * @param sizes  layer widths including input and output, e.g. {@code [784, 50, 10]}
     * @param hidden activation of every hidden layer
     */
    public NetworkShape(int[] sizes, Activation hidden) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs an input and an output layer");
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive: " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        this.hidden = hidden;
        int layers = sizes.length - 1;
        this.weightOffsets = new int[layers];
        this.biasOffsets = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) offset;
            offset += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) offset;
            offset += sizes[l + 1];
            if (offset > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("network too large: more than 2^31 parameters");
            }
        }
        this.parameterCount = (int) offset;
    }

    /** Builds {@code [inputs, hidden..., classes]}. */
    public static NetworkShape of(int inputs, int[] hiddenSizes, int classes, Activation hidden) {
        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = classes;
        return new NetworkShape(sizes, hidden);
    }

    /** Number of affine layers (hidden layers + 1). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Width of layer {@code i} (0 = input, {@link #layers()} = output). */
    public int size(int i) {
        return sizes[i];
    }

    @Override
    public List<WeightBlock> weights() {
        List<WeightBlock> blocks = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            blocks.add(new WeightBlock(weightOffset(l), sizes[l] * sizes[l + 1], sizes[l]));
        }
        return blocks;
    }

    @Override
    public Pass passForThread() {
        return BatchBackprop.forThread(this);
    }

    @Override
    public Pass oneRowPass() {
        return BatchBackprop.oneRow(this);
    }

    @Override
    public boolean usesBlas() {
        return BatchBackprop.needed(this);
    }

    @Override
    public int inputs() {
        return sizes[0];
    }

    @Override
    public int classes() {
        return sizes[sizes.length - 1];
    }

    /** A copy of all layer widths, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    public Activation hidden() {
        return hidden;
    }

    /** Offset of W_l ({@code [size(l) × size(l+1)]}, row-major) in the flat parameter vector. */
    public int weightOffset(int l) {
        return weightOffsets[l];
    }

    /** Offset of b_l ({@code [size(l+1)]}) in the flat parameter vector. */
    public int biasOffset(int l) {
        return biasOffsets[l];
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    /** The widest layer, used to size per-row work buffers. */
    public int maxWidth() {
        return Arrays.stream(sizes).max().getAsInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkShape other && Arrays.equals(sizes, other.sizes) && hidden == other.hidden;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sizes) + hidden.hashCode();
    }

    @Override
    public String toString() {
        return Arrays.toString(sizes) + " " + hidden.id();
    }
}
