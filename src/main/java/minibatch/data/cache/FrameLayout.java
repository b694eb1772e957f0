package minibatch.data.cache;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import minibatch.data.LabeledImage;
import minibatch.nn.Pixels;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How the rows of a cached training DataFrame become network inputs. Both layouts are
 * {@code (label int, <input> binary)}, one binary value per row:
 * <ul>
 *   <li>{@link #PIXELS}: {@code (label int, pixels binary)}, one unsigned byte per pixel
 *       ({@code [rows·cols]}, row-major), scaled by {@link Pixels#SCALE} where used. What every
 *       input file format is loaded into.</li>
 *   <li>{@link #features(double)}: {@code (label int, features binary)}, the float64
 *       little-endian values of a Spark ML {@code features} vector ({@code [inputs] × 8} bytes),
 *       multiplied by the estimator's {@code featureScale} where used.</li>
 * </ul>
 * One binary column keeps the cache compact and makes reading a cached row one copy.
 */
public final class FrameLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String LABEL = "label";
    public static final String PIXELS_COLUMN = "pixels";
    public static final String FEATURES_COLUMN = "features";

    /** Pixels 0..255 as bytes, scaled by 1/255 where used. */
    public static final FrameLayout PIXELS = new FrameLayout(false, Pixels.SCALE);

    private final boolean features;
    private final double scale;

    private FrameLayout(boolean features, double scale) {
        this.features = features;
        this.scale = scale;
    }

    /** Feature vectors as float64 values, each multiplied by {@code scale} where used. */
    public static FrameLayout features(double scale) {
        return new FrameLayout(true, scale);
    }

    /** The factor every input value is multiplied by before the network. */
    public double scale() {
        return scale;
    }

    /** The cached DataFrame's schema. */
    public StructType schema() {
        return new StructType()
                .add(LABEL, DataTypes.IntegerType, false)
                .add(features ? FEATURES_COLUMN : PIXELS_COLUMN, DataTypes.BinaryType, false);
    }

    /** One image as a row of this layout (pixels layout only). */
    public static Row row(LabeledImage image) {
        return RowFactory.create(image.label(), image.pixels());
    }

    /** One feature vector ({@code [inputs]}, unscaled) as a row of the features layout. */
    public static Row row(int label, double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return RowFactory.create(label, bytes.array());
    }

    /** A cached row back as an example; the input array is the row's own (pixels) or a new one (features). */
    public LabeledImage decode(Row row) {
        int label = row.getInt(0);
        byte[] bytes = (byte[]) row.get(1);
        if (!features) {
            return new LabeledImage(label, bytes);
        }
        double[] x = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(x);
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        return LabeledImage.ofFeatures(label, x);
    }
}
