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
    private final SplittableRandom seeds;

    /**
     * @param rows      cached training rows
     * @param batchSize expected rows per mini-batch
     * @param seeds     the driver-side generator of per-step seeds
     */
    public MiniBatchSampler(CachedImages rows, int batchSize, SplittableRandom seeds) {
        this.rows = rows;
        this.fraction = Math.min(1.0, (double) batchSize / rows.count());
        this.seeds = seeds;
    }

    /** The Bernoulli sampling probability of each row. */
    public double fraction() {
        return fraction;
    }

    /** The seed of the next step (advances the generator). */
    public long nextSeed() {
        return seeds.nextLong();
    }

    /** The mini-batch for one step's seed; lazily evaluated. */
    public JavaRDD<LabeledImage> sample(long seed) {
        return rows.sample(fraction, seed);
    }
}
