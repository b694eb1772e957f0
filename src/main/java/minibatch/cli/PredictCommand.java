package minibatch.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.jobs.Predictions;
import minibatch.model.SavedModel;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict}: a saved model's class and class probabilities for every image, as Parquet or CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a saved model's predictions (index, label, prediction, prob_0..prob_K-1) for every image "
                + "of an image set (IDX, CSV, Parquet or LibSVM), as Parquet or CSV, with Spark's writers.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOnData modelOnData;

    @Option(names = {"--data", "--input"}, paramLabel = "PATH", defaultValue = "data/mnist", description = "A data folder (its --set is used) "
            + "or one set: a .csv, .parquet or .libsvm file or folder; rows need no label. Default: ${DEFAULT-VALUE}")
    String input;

    @Option(names = "--output", paramLabel = "PATH", required = true, description = "Output folder (any Hadoop path); must not exist "
            + "unless --overwrite.")
    String output;

    @Option(names = "--output-format", paramLabel = "NAME", defaultValue = "parquet", description = "parquet or csv (with a header). "
            + "Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--overwrite", description = "Replace --output if it holds an earlier predict's output (and nothing else).")
    boolean overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new UserError("--output-format must be parquet or csv (got " + format + ")");
        }
        SparkSession spark = sparkOptions.session("spark-minibatch predict");
        var hadoop = spark.sparkContext().hadoopConfiguration();
        CommandOutput out = CommandOutput.prepare("predict", "--output", output, overwrite,
                PredictCommand::writtenBySpark, List.of(Map.entry("--model", modelOnData.model), Map.entry("--data", input)),
                hadoop);
        ModelOnData.Loaded loaded = modelOnData.load(spark, input, "--data", ImageSources.Use.ANY);
        SavedModel saved = loaded.model();
        ImageSource images = loaded.images();
        CachedImages rows = CachedImages.load(spark, images, spark.sparkContext().defaultParallelism(),
                modelOnData.set + " set");
        try {
            var predictions = Predictions.of(spark, rows, saved.shape(), saved.params());
            if (!saved.classNames().isEmpty()) {
                // label k is class names[k]: element_at counts from 1
                var names = org.apache.spark.sql.functions.array(saved.classNames().stream()
                        .map(org.apache.spark.sql.functions::lit).toArray(org.apache.spark.sql.Column[]::new));
                predictions = predictions
                        .withColumn("label_name", org.apache.spark.sql.functions.element_at(names,
                                org.apache.spark.sql.functions.col("label").plus(1)))
                        .withColumn("prediction_name", org.apache.spark.sql.functions.element_at(names,
                                org.apache.spark.sql.functions.col("prediction").plus(1)));
            }
            // written beside --output and put in place at the end: a failed run leaves the old folder as it was
            var writer = predictions.write().mode(SaveMode.ErrorIfExists);
            String staging = out.staging().toString();
            if (format.equals("csv")) {
                writer.option("header", "true").csv(staging);
            } else {
                writer.parquet(staging);
            }
        } catch (Exception e) { // Spark's writers may throw checked exceptions undeclared
            throw out.failed(e);
        } finally {
            rows.release();
        }
        out.commit();
        System.out.printf("wrote %d predictions of %s as %s to %s%n", images.count(), modelOnData.model, format, output);
        return 0;
    }

    /** The entries of a folder Spark's Parquet or CSV writer wrote, besides the marker. */
    private static boolean writtenBySpark(String name) {
        return name.equals("_SUCCESS") || name.startsWith("part-");
    }
}
