package minibatch.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Spark MLlib's MultilayerPerceptronClassifier (sigmoid hidden layers, softmax output), l-bfgs. */
final class MllibBaseline {
    private MllibBaseline() {
    }

    static BenchEntry run(Dataset<Row> train, Dataset<Row> test, int[] layers, int iterations, long seed) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(layers).setSolver("l-bfgs").setMaxIter(iterations).setSeed(seed);
        long start = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        // l-bfgs may stop before maxIter; MLlib does not report its iteration count, so this is per requested iteration
        double[] perIteration = {seconds * 1000 / iterations};
        return new BenchEntry("e", "MLlib MultilayerPerceptronClassifier, l-bfgs, " + iterations + " iterations (fit)",
                "iteration", new Timings(perIteration, 0), seconds, accuracy);
    }
}
