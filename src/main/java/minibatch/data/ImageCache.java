package minibatch.data;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/** Loads a validated {@link IdxImageSet} into executor memory, spread over partitions. */
public final class ImageCache {
    private ImageCache() {
    }

    /**
     * Each of {@code partitions} tasks reads its own slice of the IDX files; the result is cached
     * and materialized (so it is counted once) in the layout of {@code path}.
     */
    public static CachedImages load(SparkSession spark, IdxImageSet set, int partitions, SamplingPath path,
                                    String name) {
        return load(spark, set, partitions, path, name, 1, 0L);
    }

    /**
     * As above, with every image present {@code replicate} times (copies after the first shifted
     * by up to 2 pixels, seeded by {@code seed}), generated on the executors.
     */
    public static CachedImages load(SparkSession spark, IdxImageSet set, int partitions, SamplingPath path,
                                    String name, int replicate, long seed) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = (int) Math.max(1, Math.min(partitions, set.count()));
        List<Integer> sliceIds = IntStream.range(0, slices).boxed().collect(Collectors.toList());
        var conf = jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
        JavaRDD<LabeledImage> images = jsc.parallelize(sliceIds, slices).flatMap(new SliceReader(set, conf, slices));
        if (replicate > 1) {
            images = images.mapPartitionsWithIndex(new Replicator(replicate, set.rows(), set.cols(), seed), true);
        }
        spark.sparkContext().setJobDescription("load " + name);
        try {
            return path == SamplingPath.RDD ? new RddImages(images) : new DataFrameImages(spark, images);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }
}
