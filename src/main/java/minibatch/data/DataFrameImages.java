package minibatch.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows cached as a columnar DataFrame in {@link LabeledImageSchema} layout (~1 byte per pixel),
 * sampled with {@code Dataset.sample}. Each step plans a query and the scan decodes every cached
 * row before the sample keeps ~batchSize of them.
 */
public final class DataFrameImages implements CachedImages {
    private final Dataset<Row> frame;
    private final long count;

    DataFrameImages(SparkSession spark, JavaRDD<LabeledImage> source) {
        JavaRDD<Row> rows = source.map(image -> RowFactory.create(image.label(), image.pixels()));
        // Built from an RDD, not a local list: the driver keeps no copy and cache lookups stay cheap.
        this.frame = spark.createDataFrame(rows, LabeledImageSchema.STRUCT);
        frame.persist(StorageLevel.MEMORY_AND_DISK());
        this.count = frame.count();
    }

    /** The cached DataFrame {@code (label int, pixels binary)}. */
    public Dataset<Row> frame() {
        return frame;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public int partitions() {
        return frame.rdd().getNumPartitions();
    }

    @Override
    public JavaRDD<LabeledImage> all() {
        return images(frame);
    }

    @Override
    public JavaRDD<LabeledImage> sample(double fraction, long seed) {
        return images(frame.sample(false, fraction, seed));
    }

    /** Reads Spark's internal rows directly: no conversion to external Row objects. */
    private static JavaRDD<LabeledImage> images(Dataset<Row> rows) {
        return rows.queryExecution().toRdd().toJavaRDD().map(DataFrameImages::image);
    }

    private static LabeledImage image(InternalRow row) {
        return new LabeledImage(row.getInt(LabeledImageSchema.LABEL_ORDINAL),
                row.getBinary(LabeledImageSchema.PIXELS_ORDINAL));
    }

    @Override
    public void release() {
        frame.unpersist(false);
    }
}
