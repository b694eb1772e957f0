package minibatch.data;

import java.io.Serializable;
import minibatch.nn.Pixels;

/**
 * One example: its class (-1 when unlabelled) and its input, either pixels ({@code [rows·cols]}
 * unsigned bytes, row-major, scaled to [0, 1] on use; ~830 bytes per cached 28×28 image) or, for
 * rows from a Spark ML {@code features} vector, the feature values ({@code [inputs]}, used as they
 * are; {@code pixels} is then null).
 */
public record LabeledImage(int label, byte[] pixels, double[] features) implements Serializable {

    public LabeledImage(int label, byte[] pixels) {
        this(label, pixels, null);
    }

    /** A row of feature values. */
    public static LabeledImage ofFeatures(int label, double[] features) {
        return new LabeledImage(label, null, features);
    }

    /** Writes the network's input ({@code [inputs]}) into {@code into}. */
    public void input(double[] into) {
        if (features != null) {
            System.arraycopy(features, 0, into, 0, features.length);
        } else {
            Pixels.scale(pixels, into);
        }
    }
}
