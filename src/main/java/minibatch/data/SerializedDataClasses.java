package minibatch.data;

import java.util.HashMap;
import java.util.List;
import minibatch.data.table.BlockStats;
import minibatch.data.table.LibsvmWidth;
import org.apache.spark.ml.linalg.VectorUDT;

/**
 * The data packages' classes that go through {@code spark.serializer}, for Kryo registration: cached
 * rows when they spill, the table validation passes' task results, the broadcast map of each table
 * block's first row, and the vector type in the schemas Spark's Parquet reader returns from its tasks.
 */
public final class SerializedDataClasses {
    private static final List<Class<?>> CLASSES = List.of(
            LabeledImage.class, BlockStats.class, LibsvmWidth.Scan.class, HashMap.class, VectorUDT.class);

    private SerializedDataClasses() {
    }

    /** Every one of them, in a fixed order. */
    public static List<Class<?>> list() {
        return CLASSES;
    }
}
