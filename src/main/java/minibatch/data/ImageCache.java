package minibatch.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/** Loads a validated {@link ImageSource} into executor memory, spread over partitions. */
public final class ImageCache {
    private ImageCache() {
    }

    /** Caches rows already in canonical partitions (e.g. from a DataFrame) in the RDD layout, counted once. */
    public static CachedImages cache(JavaRDD<LabeledImage> rows) {
        return new RddImages(rows);
    }

    /**
     * Reads {@code source} into {@code partitions} slices on the executors; the result is cached
     * and materialized (so it is counted once) in the layout of {@code path}.
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, SamplingPath path,
                                    String name) {
        return load(spark, source, partitions, path, name, 1, 0L);
    }

    /**
     * As above, with every image present {@code replicate} times (copies after the first shifted
     * by up to 2 pixels, seeded by {@code seed}), generated on the executors.
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, SamplingPath path,
                                    String name, int replicate, long seed) {
        int slices = (int) Math.max(1, Math.min(partitions, source.count()));
        spark.sparkContext().setJobDescription("load " + name);
        try {
            JavaRDD<LabeledImage> images = source.read(spark, slices);
            if (replicate > 1) {
                images = images.mapPartitionsWithIndex(new Replicator(replicate, source.rows(), source.cols(), seed), true);
            }
            return path == SamplingPath.DATAFRAME ? new DataFrameImages(spark, images) : new RddImages(images);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }
}
