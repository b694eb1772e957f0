package minibatch.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * Labelled images cached in executor memory, spread over partitions, with Spark's Bernoulli
 * {@code sample} over them. The driver holds no rows. Two layouts exist ({@link SamplingPath}):
 * a DataFrame sampled with {@code Dataset.sample}, and an RDD sampled with {@code RDD.sample}.
 */
public interface CachedImages {
    /** Rows, counted once when the cache was built. */
    long count();

    int partitions();

    /** Every row, in partition order. */
    JavaRDD<LabeledImage> all();

    /**
     * Spark's Bernoulli sample without replacement: each row independently with probability
     * {@code fraction}, drawn from {@code seed} (and the partition index). Lazily evaluated.
     */
    JavaRDD<LabeledImage> sample(double fraction, long seed);

    /** Drops the cached blocks. */
    void release();
}
