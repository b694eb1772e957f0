package minibatch.data.cache;

import minibatch.data.LabeledImage;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Labelled examples as a DataFrame in Spark's in-memory columnar cache ({@link FrameLayout}),
 * spread over partitions, counted once when cached. The driver holds no rows. Training draws its
 * mini-batches from this DataFrame with {@code Dataset.sample}; evaluation and prediction read it
 * whole.
 */
public final class CachedImages {
    private final Dataset<Row> frame;
    private final FrameLayout layout;
    private final long count;

    private CachedImages(Dataset<Row> rows, FrameLayout layout) {
        this.frame = rows.persist(StorageLevel.MEMORY_AND_DISK());
        this.layout = layout;
        this.count = frame.count();
    }

    /** Caches {@code rows} (in {@code layout}'s schema), keeping their partitions, and counts them. */
    public static CachedImages cache(Dataset<Row> rows, FrameLayout layout) {
        return new CachedImages(rows, layout);
    }

    /** The cached DataFrame. */
    public Dataset<Row> frame() {
        return frame;
    }

    public FrameLayout layout() {
        return layout;
    }

    /** Rows, counted once when the cache was built. */
    public long count() {
        return count;
    }

    public int partitions() {
        return frame.rdd().getNumPartitions();
    }

    public SparkContext context() {
        return frame.sparkSession().sparkContext();
    }

    /**
     * {@code Dataset.sample} on the cached DataFrame, lazily evaluated. Without replacement
     * (Bernoulli) each row is kept independently with probability {@code fraction}; with
     * replacement (Poisson) each row appears Poisson({@code fraction}) times.
     */
    public Dataset<Row> sample(boolean withReplacement, double fraction, long seed) {
        return frame.sample(withReplacement, fraction, seed);
    }

    /** Every cached row, partition by partition in the cached order. */
    public RDD<Row> rows() {
        return frame.rdd();
    }

    /** Every cached row decoded as an example, in order (lazily, on the executors). */
    public JavaRDD<LabeledImage> images() {
        return rows().toJavaRDD().map(layout::decode);
    }

    /**
     * Splits the rows at random (seeded) into two cached sets holding about {@code 1 - fraction}
     * and {@code fraction} of them, and releases this one.
     */
    public Split split(double fraction, long seed) {
        Dataset<Row>[] parts = frame.randomSplit(new double[] {1 - fraction, fraction}, seed);
        Split split = new Split(new CachedImages(parts[0], layout), new CachedImages(parts[1], layout));
        release();
        return split;
    }

    /** The two parts of a {@link #split}. */
    public record Split(CachedImages rest, CachedImages held) {
    }

    /** Drops the cached blocks. */
    public void release() {
        frame.unpersist(false);
    }
}
