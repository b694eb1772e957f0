package minibatch.data;

import minibatch.Names;

/**
 * How the cached training rows are kept and sampled. Both draw every mini-batch with Spark's
 * {@code sample}; they differ in what one step costs (see BENCHMARKS.md).
 */
public enum SamplingPath {
    /** RDD of {@link LabeledImage} objects, {@code RDD.sample}: no query planning, no row decoding per step. */
    RDD,
    /** Columnar-cached DataFrame {@code (label int, pixels binary)}, {@code Dataset.sample}. */
    DATAFRAME;

    public static SamplingPath parse(String name) {
        return Names.parse(SamplingPath.class, name, "sampler");
    }

    public String id() {
        return Names.id(this);
    }
}
