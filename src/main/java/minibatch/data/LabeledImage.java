package minibatch.data;

import java.io.Serializable;
import minibatch.nn.Pixels;

/**
 * One example: its class (-1 when unlabelled) and its input, either pixels ({@code [rows·cols]}
 * unsigned bytes, row-major, scaled to [0, 1] on use; ~830 bytes per cached 28×28 image) or, for
 * rows from a Spark ML {@code features} vector, the feature values ({@code [inputs]}, used as they
 * are; {@code pixels} is then null).
 *
 * <p>A plain class, not a record: cached rows that spill to disk go through {@code spark.serializer},
 * and the Kryo that Spark 4 ships cannot serialize a record's fields.
 */
public final class LabeledImage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int label;
    private final byte[] pixels;
    private final double[] features;

    private LabeledImage(int label, byte[] pixels, double[] features) {
        this.label = label;
        this.pixels = pixels;
        this.features = features;
    }

    public LabeledImage(int label, byte[] pixels) {
        this(label, pixels, null);
    }

    /** A row of feature values. */
    public static LabeledImage ofFeatures(int label, double[] features) {
        return new LabeledImage(label, null, features);
    }

    public int label() {
        return label;
    }

    /** The pixels ({@code [rows·cols]}), or null for a row of feature values; the live array. */
    public byte[] pixels() {
        return pixels;
    }

    /** The feature values ({@code [inputs]}), or null for a row of pixels; the live array. */
    public double[] features() {
        return features;
    }

    /** Writes the network's input ({@code [inputs]}) into {@code into}. */
    public void input(double[] into) {
        input(into, 0);
    }

    /** Writes the network's input ({@code [inputs]}) into {@code into} from index {@code offset} on. */
    public void input(double[] into, int offset) {
        if (features != null) {
            System.arraycopy(features, 0, into, offset, features.length);
        } else {
            Pixels.scale(pixels, into, offset);
        }
    }
}
