package minibatch.nn.layers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of one row between layers: {@code height × width × channels}, stored channels last
 * (NHWC), so value {@code (y, x, c)} of a row is at {@code (y · width + x) · channels + c}. A dense
 * layer's output is {@code 1 × 1 × units}, and a dense layer reads any shape as a flat row.
 */
public record ImageShape(int height, int width, int channels) implements java.io.Serializable {
    private static final Pattern HWC = Pattern.compile("(\\d{1,9})x(\\d{1,9})x(\\d{1,9})");

    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("an image shape needs positive sizes: " + height + "x" + width + "x" + channels);
        }
        if ((long) height * width * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels + " is too large");
        }
    }

    /** A flat row of {@code units} values, as a dense layer gives. */
    public static ImageShape flat(int units) {
        return new ImageShape(1, 1, units);
    }

    /**
     * Parses {@code HxWxC}, e.g. {@code 28x28x1} (case-insensitive).
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static ImageShape parse(String text) {
        Matcher m = HWC.matcher(text.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected <H>x<W>x<C>, e.g. 28x28x1, not '" + text + "'");
        }
        return new ImageShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** Values per row: {@code height · width · channels}. */
    public int size() {
        return height * width * channels;
    }

    /** E.g. {@code 28x28x1}. */
    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
