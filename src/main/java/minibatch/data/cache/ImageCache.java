package minibatch.data.cache;

import minibatch.data.ImageSource;
import minibatch.data.LabeledImage;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.IdxRelation;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/** Loads a validated {@link ImageSource} into a cached DataFrame {@code (label int, pixels binary)}. */
public final class ImageCache {
    private ImageCache() {
    }

    /**
     * Reads {@code source} into {@code partitions} slices on the executors; the DataFrame is
     * cached and materialized (so it is counted once).
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, String name) {
        return load(spark, source, partitions, name, 1, 0L);
    }

    /**
     * As above, with every image present {@code replicate} times (copies after the first shifted
     * by up to 2 pixels, seeded by {@code seed}), generated on the executors.
     */
    public static CachedImages load(SparkSession spark, ImageSource source, int partitions, String name,
                                    int replicate, long seed) {
        int slices = (int) Math.max(1, Math.min(partitions, source.count()));
        spark.sparkContext().setJobDescription("load " + name);
        try {
            if (source instanceof IdxImageSet idx && replicate == 1) {
                // the relation the idx data source gives (format("idx")), over the set already validated
                return CachedImages.cache(spark.baseRelationToDataFrame(new IdxRelation(spark.sqlContext(), idx, slices,
                        IdxRelation.Layout.PIXELS)), FrameLayout.PIXELS);
            }
            JavaRDD<LabeledImage> images = source.read(spark, slices);
            if (replicate > 1) {
                images = images.mapPartitionsWithIndex(new Replicator(replicate, source.rows(), source.cols(), seed), true);
            }
            // Built from an RDD, not a local list: the driver keeps no copy and cache lookups stay cheap.
            return CachedImages.cache(spark.createDataFrame(images.map(FrameLayout::row), FrameLayout.PIXELS.schema()),
                    FrameLayout.PIXELS);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }
}
