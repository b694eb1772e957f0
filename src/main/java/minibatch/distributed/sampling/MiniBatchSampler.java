package minibatch.distributed.sampling;

import minibatch.data.cache.CachedImages;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Draws each step's mini-batch as {@code Dataset.sample} on the cached training DataFrame, at
 * fraction {@code batchSize / rowCount}, so a batch holds batchSize ± sqrt(batchSize) rows
 * (Bernoulli). It owns the step seeds ({@link StepSeeds}).
 */
public final class MiniBatchSampler {
    private final CachedImages rows;
    private final double fraction;
    private final boolean withReplacement;
    private final StepSeeds seeds;

    /**
     * @param rows      cached training rows
     * @param batchSize expected rows per mini-batch
     * @param withReplacement Poisson sampling (rows may repeat, like {@code np.random.choice}) instead of Bernoulli
     * @param seeds     every step's seeds
     */
    public MiniBatchSampler(CachedImages rows, int batchSize, boolean withReplacement, StepSeeds seeds) {
        this.rows = rows;
        // with replacement the fraction is an expected count per row, so it may exceed 1
        double f = (double) batchSize / rows.count();
        this.fraction = withReplacement ? f : Math.min(1.0, f);
        this.withReplacement = withReplacement;
        this.seeds = seeds;
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

    public StepSeeds seeds() {
        return seeds;
    }

    /** Step {@code step}'s mini-batch: {@code Dataset.sample} with the step's seed, lazily evaluated. */
    public Dataset<Row> sample(long step) {
        return rows.sample(withReplacement, fraction, seeds.sample(step));
    }

    /** What that {@code sample} runs on each partition, for tasks that draw the rows themselves. */
    public PartitionSampler partitionSampler() {
        return new PartitionSampler(fraction, withReplacement);
    }
}
