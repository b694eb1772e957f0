package minibatch.distributed;

import java.util.SplittableRandom;
import minibatch.data.CachedImages;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.JavaRDD;

/**
 * Draws each step's mini-batch with Spark's Bernoulli {@code sample} at fraction
 * {@code batchSize / rowCount}, so a batch holds batchSize ± sqrt(batchSize) rows.
 *
 * <p>Every step's seed is a fresh draw from one driver-side {@link SplittableRandom}. Spark seeds
 * partition p with {@code seed + p} (Dataset.sample), so consecutive seeds such as {@code base + t}
 * would make step t's partition 1 repeat step t+1's partition 0.
 */
public final class MiniBatchSampler {
    private final CachedImages rows;
    private final double fraction;
    private final boolean withReplacement;
    private final SplittableRandom seeds;

    /**
     * @param rows      cached training rows
     * @param batchSize expected rows per mini-batch
     * @param withReplacement Poisson sampling (rows may repeat, like {@code np.random.choice}) instead of Bernoulli
     * @param seeds     the driver-side generator of per-step seeds
     */
    public MiniBatchSampler(CachedImages rows, int batchSize, boolean withReplacement, SplittableRandom seeds) {
        this.rows = rows;
        // with replacement the fraction is an expected count per row, so it may exceed 1
        double f = (double) batchSize / rows.count();
        this.fraction = withReplacement ? f : Math.min(1.0, f);
        this.withReplacement = withReplacement;
        this.seeds = seeds;
    }

    /** Bernoulli sampling without replacement. */
    public MiniBatchSampler(CachedImages rows, int batchSize, SplittableRandom seeds) {
        this(rows, batchSize, false, seeds);
    }

    /** The sampling probability (Bernoulli) or expected count (Poisson) of each row. */
    public double fraction() {
        return fraction;
    }

    /** Poisson sampling (with replacement) instead of Bernoulli. */
    public boolean withReplacement() {
        return withReplacement;
    }

    /** The cached rows sampled from. */
    public CachedImages rows() {
        return rows;
    }

    /** The seed of the next step (advances the generator). */
    public long nextSeed() {
        return seeds.nextLong();
    }

    /** The mini-batch for one step's seed; lazily evaluated. */
    public JavaRDD<LabeledImage> sample(long seed) {
        return rows.sample(withReplacement, fraction, seed);
    }
}
