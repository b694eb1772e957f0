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
     * Spark's {@code sample}, drawn from {@code seed} (and the partition index), lazily evaluated.
     * Without replacement (Bernoulli) each row is kept independently with probability
     * {@code fraction}; with replacement (Poisson) each row appears Poisson({@code fraction}) times.
     */
    JavaRDD<LabeledImage> sample(boolean withReplacement, double fraction, long seed);

    /**
     * Splits the rows at random (seeded) into two cached sets holding about {@code 1 - fraction}
     * and {@code fraction} of them, and releases this one.
     */
    Split split(double fraction, long seed);

    /** The two parts of a {@link #split}. */
    record Split(CachedImages rest, CachedImages held) {
    }

    /** Drops the cached blocks. */
    void release();
}
