package minibatch.data;

import minibatch.Names;

/**
 * How the cached training rows are kept and sampled. All draw every mini-batch with Spark's
 * {@code sample}; they differ in what one step costs (see BENCHMARKS.md).
 */
public enum SamplingPath {
    /** RDD of {@link LabeledImage} objects, {@code RDD.sample}: no query planning, no row decoding per step. */
    RDD,
    /** Columnar-cached DataFrame {@code (label int, pixels binary)}, {@code Dataset.sample}. */
    DATAFRAME,
    /**
     * The {@link #RDD} path's cache and mini-batches, drawn by Spark's sampler inside barrier-stage
     * tasks that stay up between evaluations and trade weights and sums with the driver over
     * Spark's RPC: one job per segment instead of one per step, the same numbers.
     */
    BARRIER,
    /** {@link #BARRIER} where the cluster can run it (see {@code BarrierSteps.unavailable}), else {@link #RDD}. */
    AUTO;

    /**
     * The path whose numbers this one gives: barrier steps (and so auto) draw the rdd path's
     * batches and give its weights bit for bit, so a checkpoint of one resumes under the other.
     */
    public SamplingPath numbers() {
        return this == DATAFRAME ? DATAFRAME : RDD;
    }

    public static SamplingPath parse(String name) {
        return Names.parse(SamplingPath.class, name, "sampler");
    }

    public String id() {
        return Names.id(this);
    }
}
