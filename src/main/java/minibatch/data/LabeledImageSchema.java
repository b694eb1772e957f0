package minibatch.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The compact schema of training and test DataFrames: {@code label int} (class index) and
 * {@code pixels binary} (one unsigned byte per pixel, row-major; 784 bytes for 28×28). A binary
 * column keeps the cache at ~1 byte per pixel and makes sampling cheap (DESIGN.md §3).
 */
public final class LabeledImageSchema {
    public static final String LABEL = "label";
    public static final String PIXELS = "pixels";
    /** Column ordinals, for reading rows without name lookups. */
    public static final int LABEL_ORDINAL = 0;
    public static final int PIXELS_ORDINAL = 1;

    public static final StructType STRUCT = new StructType()
            .add(LABEL, DataTypes.IntegerType, false)
            .add(PIXELS, DataTypes.BinaryType, false);

    private LabeledImageSchema() {
    }
}
