package minibatch.distributed;

import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Draws each step's mini-batch with Spark's Bernoulli {@code sample} at fraction
 * {@code batchSize / rowCount}, so a batch holds batchSize ± sqrt(batchSize) rows.
 *
 * <p>Every step's seed is a fresh draw from one driver-side {@link SplittableRandom}. Spark seeds
 * partition p with {@code seed + p}, so consecutive seeds such as {@code base + t} would make step
 * t's partition 1 repeat step t+1's partition 0.
 */
public final class MiniBatchSampler {
    private final Dataset<Row> rows;
    private final double fraction;
    private final SplittableRandom seeds;

    /**
     * @param rows      cached training rows
     * @param rowCount  number of rows in {@code rows}, counted once
     * @param batchSize expected rows per mini-batch
     * @param seeds     the driver-side generator of per-step seeds
     */
    public MiniBatchSampler(Dataset<Row> rows, long rowCount, int batchSize, SplittableRandom seeds) {
        this.rows = rows;
        this.fraction = Math.min(1.0, (double) batchSize / rowCount);
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
    public Dataset<Row> sample(long seed) {
        return rows.sample(false, fraction, seed);
    }
}
