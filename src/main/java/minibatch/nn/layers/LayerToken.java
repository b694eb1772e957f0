package minibatch.nn.layers;

import java.math.BigDecimal;
import minibatch.nn.Activation;

/**
 * One parsed token of a {@link LayerSpec}: what the layer is, its shape arithmetic and its
 * parameter count, and how to make the {@link Layer} that computes it. {@link #text()} is the token
 * as the user typed it (for messages), {@link #canonical()} the form {@link LayerNetwork#toString()}
 * prints.
 */
public sealed interface LayerToken extends java.io.Serializable {
    /** The token as typed, stripped. */
    String text();

    /** Lower case, defaults left out: {@code conv3x3x8}, {@code conv3x3x8s2p1}, {@code maxpool2}, {@code dropout0.5}. */
    String canonical();

    /** The output shape for {@code in}, or null when the layer does not fit it ({@link LayerSpec#shapes} says why). */
    ImageShape outputShape(ImageShape in);

    /** Number of weights (W) for input {@code in}: 0 for a layer without parameters. */
    default long weightCount(ImageShape in) {
        return 0;
    }

    /** Number of biases (b): 0 for a layer without parameters. */
    default int biasCount() {
        return 0;
    }

    /** Fan-in of one output unit, for He/Xavier initialisation (0 for a layer without parameters). */
    default int fanIn(ImageShape in) {
        return 0;
    }

    /** A new layer for input {@code in} and batches of at most {@code maxRows} rows. */
    Layer create(ImageShape in, int maxRows);

    /** {@code conv<K>x<K>x<C>[s<S>][p<P>]}: K×K kernel, C filters, stride S (1), zero padding P (0) on each side. */
    record ConvToken(String text, int kernel, int filters, int stride, int padding) implements LayerToken {
        @Override
        public String canonical() {
            return "conv" + kernel + "x" + kernel + "x" + filters + (stride == 1 ? "" : "s" + stride)
                    + (padding == 0 ? "" : "p" + padding);
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            long h = (long) in.height() + 2L * padding;
            long w = (long) in.width() + 2L * padding;
            if (h < kernel || w < kernel) {
                return null;
            }
            return new ImageShape((int) ((h - kernel) / stride + 1), (int) ((w - kernel) / stride + 1), filters);
        }

        @Override
        public long weightCount(ImageShape in) {
            return (long) kernel * kernel * in.channels() * filters;
        }

        @Override
        public int biasCount() {
            return filters;
        }

        @Override
        public int fanIn(ImageShape in) {
            return kernel * kernel * in.channels();
        }

        @Override
        public Layer create(ImageShape in, int maxRows) {
            return new Conv2d(in, kernel, filters, stride, padding, maxRows);
        }
    }

    /** {@code maxpool<K>[s<S>]}: K×K window, stride S (K), no padding; odd sizes floor. */
    record MaxPoolToken(String text, int window, int stride) implements LayerToken {
        @Override
        public String canonical() {
            return "maxpool" + window + (stride == window ? "" : "s" + stride);
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            if (in.height() < window || in.width() < window) {
                return null;
            }
            return new ImageShape((in.height() - window) / stride + 1, (in.width() - window) / stride + 1, in.channels());
        }

        @Override
        public Layer create(ImageShape in, int maxRows) {
            return new MaxPool2d(in, window, stride, maxRows);
        }
    }

    /** {@code dense<N>}: N units, fully connected to the whole input row (flattened NHWC). */
    record DenseToken(String text, int units) implements LayerToken {
        @Override
        public String canonical() {
            return "dense" + units;
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            return ImageShape.flat(units);
        }

        @Override
        public long weightCount(ImageShape in) {
            return (long) in.size() * units;
        }

        @Override
        public int biasCount() {
            return units;
        }

        @Override
        public int fanIn(ImageShape in) {
            return in.size();
        }

        @Override
        public Layer create(ImageShape in, int maxRows) {
            return new Dense(in.size(), units);
        }
    }

    /** {@code sigmoid}, {@code relu}, {@code tanh} or {@code step}, element-wise. */
    record ActivationToken(String text, Activation activation) implements LayerToken {
        @Override
        public String canonical() {
            return activation.id();
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            return in;
        }

        @Override
        public Layer create(ImageShape in, int maxRows) {
            return new ActivationLayer(activation, in.size());
        }
    }

    /** {@code dropout<P>}: inverted dropout with probability P in [0, 1) of dropping each value. */
    record DropoutToken(String text, double probability) implements LayerToken {
        @Override
        public String canonical() {
            return "dropout" + BigDecimal.valueOf(probability).stripTrailingZeros().toPlainString();
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            return in;
        }

        @Override
        public Layer create(ImageShape in, int maxRows) {
            return new Dropout(probability, in.size(), maxRows);
        }
    }
}
