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
        // Built from an RDD, not a local list: the driver keeps no copy and cache lookups stay cheap.
        this(spark.createDataFrame(source.map(image -> RowFactory.create(image.label(), image.pixels())),
                LabeledImageSchema.STRUCT));
    }

    private DataFrameImages(Dataset<Row> rows) {
        this.frame = rows;
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
    public JavaRDD<LabeledImage> sample(boolean withReplacement, double fraction, long seed) {
        return images(frame.sample(withReplacement, fraction, seed));
    }

    @Override
    public Split split(double fraction, long seed) {
        Dataset<Row>[] parts = frame.randomSplit(new double[] {1 - fraction, fraction}, seed);
        Split split = new Split(new DataFrameImages(parts[0]), new DataFrameImages(parts[1]));
        release();
        return split;
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
