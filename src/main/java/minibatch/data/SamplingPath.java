package minibatch.data;

import java.util.Locale;

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
        for (SamplingPath p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "' (expected rdd or dataframe)");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
