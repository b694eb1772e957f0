package minibatch.config;

import minibatch.Names;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.barrier.BarrierSteps;

/**
 * How training steps run (the {@code --sampler} option). Every mode draws each step's rows as
 * {@code Dataset.sample} on the cached DataFrame does and gives the same numbers, bit for bit;
 * they differ in what a step costs.
 */
public enum StepMode {
    /** The reference: one Spark job per step over {@code Dataset.sample(withReplacement, fraction, seed_t)}. */
    DATAFRAME,
    /**
     * Resident barrier-stage tasks that read their partition of the cached DataFrame once per
     * segment (until the next evaluation), draw each step's rows with the sampler that
     * {@code Dataset.sample} runs for that partition and seed, and trade weights and sums with the
     * driver over Spark's RPC: one job per segment instead of one per step.
     */
    BARRIER,
    /** {@link #BARRIER} where the cluster can run it (see {@link BarrierSteps#unavailable}), else {@link #DATAFRAME}. */
    AUTO;

    /** This mode, with auto resolved to barrier where the cluster can run resident steps over {@code train}, else dataframe. */
    public StepMode resolve(minibatch.data.cache.CachedImages train) {
        if (this != AUTO) {
            return this;
        }
        return barrierUnavailable(train) == null ? BARRIER : DATAFRAME;
    }

    /**
     * Why resident steps cannot run over {@code train}'s partitions now, or null: a barrier stage
     * needs every partition's task running at once, and no dynamic allocation.
     */
    public static String barrierUnavailable(minibatch.data.cache.CachedImages train) {
        return BarrierSteps.unavailable(train.context(), train.partitions());
    }

    public static StepMode parse(String name) {
        return Names.parse(StepMode.class, name, "sampler");
    }

    public String id() {
        return Names.id(this);
    }
}
