package minibatch.bench;

import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.ml.MiniBatchNetClassifier;
import minibatch.nn.Pixels;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Bench (g): the textbook configuration fitted through the Spark ML front door,
 * {@code MiniBatchNetClassifier.fit} on a {@code (label double, features vector)} DataFrame of raw
 * pixel values with {@code featureScale} 1/255: the same trainer, so the same weights as (a).
 */
final class EstimatorFit {
    private static double[] lastWeights;

    private EstimatorFit() {
    }

    /** @param classes the textbook network's outputs, declared on the label column as {@code StringIndexer} would */
    static BenchEntry run(Dataset<Row> rawVectors, int classes, int steps, long seed, int warmup) {
        var label = org.apache.spark.sql.functions.col("label").as("label",
                org.apache.spark.ml.attribute.NominalAttribute.defaultAttr().withNumValues(classes).toMetadata());
        Dataset<Row> labelled = rawVectors.withColumn("label", label);
        long t0 = System.nanoTime();
        MiniBatchNetClassificationModel model = new MiniBatchNetClassifier().setHiddenLayers(50).setSteps(steps)
                .setSeed(seed).setFeatureScale(Pixels.SCALE).fit(labelled);
        double wall = (System.nanoTime() - t0) / 1e9;
        lastWeights = model.weights();
        return new BenchEntry("g", "MiniBatchNetClassifier.fit, textbook settings, DataFrame (label, features)", "step",
                new Timings(model.summary().stepMillis(), warmup), wall, Double.NaN);
    }

    /** The weights of the last {@link #run}. */
    static double[] lastWeights() {
        return lastWeights;
    }
}
