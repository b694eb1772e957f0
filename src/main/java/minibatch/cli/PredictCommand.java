package minibatch.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.data.CachedImages;
import minibatch.data.IdxImageSet;
import minibatch.data.ImageCache;
import minibatch.data.MnistFiles;
import minibatch.data.SamplingPath;
import minibatch.distributed.Predictions;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict}: a saved model's class and class probabilities for every image, as Parquet or CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a saved model's predictions (index, label, prediction, prob_0..prob_K-1) for every image "
                + "of an MNIST-layout data set, as Parquet or CSV, with Spark's writers.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The model folder (RUN/model).")
    String model;

    @Option(names = "--input", paramLabel = "DIR", defaultValue = "data/mnist", description = "MNIST-layout folder. Default: ${DEFAULT-VALUE}")
    String input;

    @Option(names = "--set", paramLabel = "NAME", defaultValue = "test", description = "test (t10k files) or train. Default: ${DEFAULT-VALUE}")
    String set;

    @Option(names = "--output", paramLabel = "PATH", required = true, description = "Output folder (any Hadoop path); must not exist "
            + "unless --overwrite.")
    String output;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "parquet", description = "parquet or csv (with a header). "
            + "Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--overwrite", description = "Replace --output if it exists.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: what spark-submit set, else local[*]")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (!set.equals("test") && !set.equals("train")) {
            throw new UserError("--set must be test or train (got " + set + ")");
        }
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new UserError("--format must be parquet or csv (got " + format + ")");
        }
        SparkSession spark = JobSession.create("spark-minibatch predict", master, conf);
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(output);
        if (!overwrite && out.getFileSystem(hadoop).exists(out)) {
            throw new UserError("--output " + output + ": exists (use --overwrite to replace it)");
        }
        SavedModel saved = ModelReader.read(new Path(model), hadoop);
        int classes = saved.shape().classes();
        IdxImageSet images = set.equals("test") ? MnistFiles.test(input, hadoop, classes) : MnistFiles.train(input, hadoop, classes);
        if (images.pixelsPerImage() != saved.shape().inputs()) {
            throw new UserError("--input " + input + ": images have " + images.pixelsPerImage()
                    + " pixels, the model expects " + saved.shape().inputs());
        }
        CachedImages rows = ImageCache.load(spark, images, spark.sparkContext().defaultParallelism(), SamplingPath.RDD,
                set + " set");
        try {
            var writer = Predictions.of(spark, rows, saved.shape(), saved.params()).write()
                    .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
            if (format.equals("csv")) {
                writer.option("header", "true").csv(output);
            } else {
                writer.parquet(output);
            }
        } finally {
            rows.release();
        }
        System.out.printf("wrote %d predictions of %s as %s to %s%n", images.count(), model, format, output);
        return 0;
    }
}
