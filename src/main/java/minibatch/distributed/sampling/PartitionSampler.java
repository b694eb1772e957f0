package minibatch.distributed.sampling;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.util.random.BernoulliCellSampler;
import org.apache.spark.util.random.PoissonSampler;
import org.apache.spark.util.random.RandomSampler;

/**
 * The sampler {@code Dataset.sample(withReplacement, fraction, seed)} runs on partition p of its
 * input, made and seeded as Spark 4's {@code SampleExec} does (with and without whole-stage
 * codegen):
 * <ul>
 *   <li>without replacement a {@link BernoulliCellSampler}{@code (0, fraction)} seeded
 *       {@code seed + p}: one draw per row, the row kept when it falls in {@code [0, fraction)};</li>
 *   <li>with replacement a {@link PoissonSampler}{@code (fraction, useGapSamplingIfPossible = false)}
 *       seeded with the p-th {@code nextLong()} of {@code new java.util.Random(seed)}, as
 *       {@code PartitionwiseSampledRDD} seeds its partitions: each row kept Poisson(fraction) times.</li>
 * </ul>
 * Both classes are Spark's public {@code @DeveloperApi} samplers. {@code PartitionSamplerTest}
 * checks every partition's rows against a real {@code Dataset.sample} call.
 */
public final class PartitionSampler implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double fraction;
    private final boolean withReplacement;

    /** @param fraction Bernoulli probability, or Poisson mean, of every row (as given to {@code Dataset.sample}) */
    PartitionSampler(double fraction, boolean withReplacement) {
        this.fraction = fraction;
        this.withReplacement = withReplacement;
    }

    /** Spark's sampler for partition {@code partition} of the sample with seed {@code seed}, seeded. */
    RandomSampler<Object, Object> forPartition(long seed, int partition) {
        if (withReplacement) {
            PoissonSampler<Object> poisson = new PoissonSampler<>(fraction, false);
            Random seeds = new Random(seed);
            long partitionSeed = seeds.nextLong();
            for (int p = 0; p < partition; p++) {
                partitionSeed = seeds.nextLong();
            }
            poisson.setSeed(partitionSeed);
            return poisson;
        }
        BernoulliCellSampler<Object> bernoulli = new BernoulliCellSampler<>(0.0, fraction, false);
        bernoulli.setSeed(seed + partition);
        return bernoulli;
    }

    /**
     * The rows {@code Dataset.sample} keeps of {@code rows} (one partition, in its cached order)
     * for {@code seed}, in order, a row repeated as often as it is drawn.
     */
    public <T> List<T> sample(long seed, int partition, T[] rows) {
        return draw(seed, partition, rows).finish();
    }

    /** A draw of that sample that has decided no row yet; it can be advanced a piece at a time. */
    public <T> Draw<T> draw(long seed, int partition, T[] rows) {
        return new Draw<>(forPartition(seed, partition), rows, fraction);
    }

    /**
     * One batch being drawn: Spark's sampler asked once per row, in order (one {@code sample()}
     * call per row in a plain loop over an array, no iterator chain), the row kept that many times.
     * Drawing it a piece at a time changes nothing in the result: the sampler's sequence is the same.
     */
    public static final class Draw<T> {
        private final RandomSampler<Object, Object> sampler;
        private final T[] rows;
        private final List<T> kept;
        private int next;

        private Draw(RandomSampler<Object, Object> sampler, T[] rows, double fraction) {
            this.sampler = sampler;
            this.rows = rows;
            this.kept = new ArrayList<>((int) Math.min(rows.length, Math.max(16, 2 * fraction * rows.length)));
        }

        public boolean done() {
            return next == rows.length;
        }

        /** Decides the next {@code count} rows (fewer at the end). */
        public void advance(int count) {
            int end = (int) Math.min(rows.length, (long) next + count);
            for (int i = next; i < end; i++) {
                for (int k = sampler.sample(); k > 0; k--) {
                    kept.add(rows[i]);
                }
            }
            next = end;
        }

        /** Decides the remaining rows and returns the batch. */
        public List<T> finish() {
            advance(rows.length - next);
            return kept;
        }
    }
}
