package minibatch.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.Names;
import minibatch.nn.Activation;

/**
 * The hidden layers as users type them: comma-separated tokens, case-insensitive, blanks around
 * commas allowed, e.g. {@code conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2} or
 * {@code dense256,relu}. The tokens:
 * <ul>
 *   <li>{@code conv<K>x<K>x<C>[s<S>][p<P>]}: a K×K convolution with C filters, stride S (default 1)
 *       and P zeros of padding on each side (default 0): {@code conv3x3x8}, {@code conv3x3x8s2p1};</li>
 *   <li>{@code maxpool<K>[s<S>]}: max over K×K windows, stride S (default K): {@code maxpool2},
 *       {@code maxpool3s2};</li>
 *   <li>{@code dense<N>}: N fully connected units: {@code dense256};</li>
 *   <li>{@code dropout<P>}: drop each value with probability P in [0, 1) while training: {@code dropout0.5};</li>
 *   <li>{@code sigmoid}, {@code relu}, {@code tanh}, {@code step}: an activation after the layer before it.</li>
 * </ul>
 * The output layer (one dense unit per class) and softmax are not part of the spec: {@link LayerNetwork}
 * appends them. Every mistake is an {@link IllegalArgumentException} whose message starts with the
 * layer's position and token, e.g. {@code layer 3 'maxpol2': expected ...}.
 */
public final class LayerSpec {
    /** The list of valid tokens, as the messages state it. */
    public static final String EXPECTED = "expected conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], dense<N>, dropout<P>, "
            + Names.choices(Activation.class);

    /** Sizes above this are typing mistakes, and their products must stay far from int overflow. */
    static final int MAX_SIZE = 1 << 20;

    private static final Pattern CONV = Pattern.compile("conv(\\d+)x(\\d+)x(\\d+)(?:s(\\d+))?(?:p(\\d+))?");
    private static final Pattern MAXPOOL = Pattern.compile("maxpool(\\d+)(?:s(\\d+))?");
    private static final Pattern DENSE = Pattern.compile("dense(\\d+)");
    private static final Pattern DROPOUT = Pattern.compile("dropout(\\d*\\.?\\d+)");

    private final List<LayerToken> tokens;

    private LayerSpec(List<LayerToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException naming the first bad token, its position (from 1) and what was expected
     */
    public static LayerSpec parse(String spec) {
        String[] parts = spec.split(",", -1);
        List<LayerToken> tokens = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            tokens.add(token(i + 1, parts[i].strip()));
        }
        return new LayerSpec(tokens);
    }

    private static LayerToken token(int position, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Matcher m;
        if ((m = CONV.matcher(t)).matches()) {
            int kernel = size(position, text, m.group(1), "the kernel size", 1);
            if (!m.group(1).equals(m.group(2))) {
                throw error(position, text, "the kernel must be square (conv<K>x<K>x<C>), not " + m.group(1) + "x" + m.group(2));
            }
            int filters = size(position, text, m.group(3), "the number of filters", 1);
            int stride = m.group(4) == null ? 1 : size(position, text, m.group(4), "the stride", 1);
            int padding = m.group(5) == null ? 0 : size(position, text, m.group(5), "the padding", 0);
            return new LayerToken.ConvToken(text, kernel, filters, stride, padding);
        }
        if ((m = MAXPOOL.matcher(t)).matches()) {
            int window = size(position, text, m.group(1), "the window", 1);
            int stride = m.group(2) == null ? window : size(position, text, m.group(2), "the stride", 1);
            return new LayerToken.MaxPoolToken(text, window, stride);
        }
        if ((m = DENSE.matcher(t)).matches()) {
            return new LayerToken.DenseToken(text, size(position, text, m.group(1), "the number of units", 1));
        }
        if ((m = DROPOUT.matcher(t)).matches()) {
            double p = Double.parseDouble(m.group(1)); // the pattern admits only plain decimals
            if (!(p < 1.0)) {
                throw error(position, text, "the dropout probability must be in [0, 1), not " + m.group(1));
            }
            return new LayerToken.DropoutToken(text, p);
        }
        Activation activation = t.isEmpty() ? null : Names.find(Activation.class, t);
        if (activation != null) {
            return new LayerToken.ActivationToken(text, activation);
        }
        throw error(position, text, EXPECTED);
    }

    private static int size(int position, String text, String digits, String what, int min) {
        String d = digits.replaceFirst("^0+(?=\\d)", "");
        if (d.length() > 7 || Integer.parseInt(d) > MAX_SIZE) {
            throw error(position, text, what + " must be at most " + MAX_SIZE + ", not " + digits);
        }
        int value = Integer.parseInt(d);
        if (value < min) {
            throw error(position, text, what + " must be at least " + min + ", not " + digits);
        }
        return value;
    }

    private static IllegalArgumentException error(int position, String text, String what) {
        return new IllegalArgumentException("layer " + position + " '" + text + "': " + what);
    }

    /** The tokens in order. */
    public List<LayerToken> tokens() {
        return tokens;
    }

    /**
     * The output shape of every token for rows of shape {@code input} ({@code [tokens]}, in order).
     *
     * @throws IllegalArgumentException for the first layer that does not fit its input (a kernel or
     *         window larger than the (padded) input), or a convolution or max-pool after a dense layer;
     *         the message names the layer, its token and the sizes
     */
    public List<ImageShape> shapes(ImageShape input) {
        List<ImageShape> shapes = new ArrayList<>();
        ImageShape in = input;
        LayerToken dense = null;
        int densePosition = 0;
        for (int i = 0; i < tokens.size(); i++) {
            LayerToken token = tokens.get(i);
            boolean spatial = token instanceof LayerToken.ConvToken || token instanceof LayerToken.MaxPoolToken;
            if (spatial && dense != null) {
                String kind = token instanceof LayerToken.ConvToken ? "a convolution" : "a max-pool";
                throw error(i + 1, token.text(), kind + " cannot follow a dense layer (layer " + densePosition + " '"
                        + dense.text() + "'): its input is flat");
            }
            ImageShape out = token.outputShape(in);
            if (out == null) {
                throw error(i + 1, token.text(), tooSmall(token, in));
            }
            if (token instanceof LayerToken.DenseToken) {
                dense = token;
                densePosition = i + 1;
            }
            shapes.add(out);
            in = out;
        }
        return shapes;
    }

    private static String tooSmall(LayerToken token, ImageShape in) {
        if (token instanceof LayerToken.ConvToken conv) {
            String padded = conv.padding() == 0 ? ""
                    : " (" + (in.height() + 2L * conv.padding()) + "x" + (in.width() + 2L * conv.padding()) + " padded)";
            return "its input is " + in + padded + ", smaller than the " + conv.kernel() + "x" + conv.kernel() + " kernel";
        }
        LayerToken.MaxPoolToken pool = (LayerToken.MaxPoolToken) token;
        return "its input is " + in + ", smaller than the " + pool.window() + "x" + pool.window() + " window";
    }

    /** The canonical tokens joined by commas, e.g. {@code conv5x5x16,relu,maxpool2}: parses to an equal spec. */
    @Override
    public String toString() {
        return String.join(",", tokens.stream().map(LayerToken::canonical).toList());
    }
}
