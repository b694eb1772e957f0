package minibatch.data.cache;

import minibatch.UserError;
import minibatch.data.ImageSource;
import minibatch.data.LabeledImage;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.IdxRelation;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Labelled examples as a DataFrame in Spark's in-memory columnar cache ({@link FrameLayout}),
 * spread over partitions, counted once when cached. The driver holds no rows. Training draws its
 * mini-batches from this DataFrame with {@code Dataset.sample}; evaluation and prediction read it
 * whole. Built from a validated {@link ImageSource} ({@link #load}) or from rows already in a
 * layout ({@link #of}).
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
    public static CachedImages of(Dataset<Row> rows, FrameLayout layout) {
        return new CachedImages(rows, layout);
    }

    /**
     * Reads {@code source} into {@code partitions} slices on the executors, as a cached DataFrame
     * {@code (label int, pixels binary)} ({@link FrameLayout#PIXELS}), counted once.
     *
     * @param name the set's name in the Spark job's description ("train set")
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, String name) {
        return load(spark, source, partitions, name, 1, 0L);
    }

    /**
     * As above, with every image present {@code replicate} times (copies after the first shifted
     * by up to 2 pixels in the image's height and width, seeded by {@code seed}), generated on the executors.
     *
     * @throws UserError when {@code replicate > 1} and the source does not know its images' height
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, String name,
                                    int replicate, long seed) {
        int slices = (int) Math.max(1, Math.min(partitions, source.count()));
        if (replicate > 1 && !source.knowsHeight()) {
            throw new UserError(String.format("--replicate %d: %s holds images of %d pixels, not a square, and does not "
                    + "give their height, so they cannot be shifted; --replicate needs IDX, image folders, hub Parquet "
                    + "or square images", replicate, source.location(), source.pixelsPerImage()));
        }
        spark.sparkContext().setJobDescription("load " + name);
        try {
            if (source instanceof IdxImageSet idx && replicate == 1) {
                // the relation the idx data source gives (format("idx")), over the set already validated
                return of(spark.baseRelationToDataFrame(new IdxRelation(spark.sqlContext(), idx, slices,
                        IdxRelation.Layout.PIXELS)), FrameLayout.PIXELS);
            }
            JavaRDD<LabeledImage> images = source.read(spark, slices);
            if (replicate > 1) {
                images = images.mapPartitionsWithIndex(new Replicator(replicate, source.rows(), source.cols(),
                        source.channels(), seed), true);
            }
            // Built from an RDD, not a local list: the driver keeps no copy and cache lookups stay cheap.
            return of(spark.createDataFrame(images.map(FrameLayout::row), FrameLayout.PIXELS.schema()), FrameLayout.PIXELS);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
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
