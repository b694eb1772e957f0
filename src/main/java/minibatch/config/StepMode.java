package minibatch.config;

import minibatch.Names;

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
    /**
     * {@link #BARRIER} where the cluster can run it, else {@link #DATAFRAME}; the distributed side
     * resolves it ({@code StepRunners.resolve}).
     */
    AUTO;

    public static StepMode parse(String name) {
        return Names.parse(StepMode.class, name, "sampler");
    }

    public String id() {
        return Names.id(this);
    }
}
