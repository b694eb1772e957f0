package minibatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.config.SecretRedaction;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.jobs.EvaluationJob;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.model.SavedModel;
import minibatch.report.JsonFile;
import minibatch.report.ResultFile;
import minibatch.training.ClassificationMetrics;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code evaluate}: a saved model on the test (or training) set: accuracy, mean loss, per-class
 * precision, recall and F1, and the confusion matrix, printed and written as JSON.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluates a saved model (a run's model/ folder) on an image set (IDX, CSV, Parquet or LibSVM) with a distributed "
                + "pass; prints accuracy, per-class precision/recall/F1 and the confusion matrix, and writes them as JSON.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOnData input;

    @Option(names = {"--data", "--input"}, paramLabel = "PATH", defaultValue = "data/mnist", description = "A data folder (its --set is used) "
            + "or one labelled set: a .csv, .parquet or .libsvm file or folder. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--out", paramLabel = "FILE", description = "JSON output. Default: evaluation-SET.json in the model's "
            + "run folder (beside the model folder). An existing file is replaced only if it is an earlier evaluation.")
    String out;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Partitions; 0 = one per core. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() throws IOException {
        if (partitions < 0) {
            throw new UserError("--partitions must be >= 0 (got " + partitions + ")");
        }
        SparkSession spark = sparkOptions.session("spark-minibatch evaluate");
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Path modelFolder = input.modelFolder(hadoop);
        Path outPath = ResultFile.EVALUATION.checkReplaceable(out != null ? out
                : new Path(modelFolder.getParent(), "evaluation-" + input.set + ".json").toString(), "--out", hadoop);
        ModelOnData.Loaded loaded = input.load(spark, data, "--data", ImageSources.Use.LABELLED);
        SavedModel saved = loaded.model();
        ImageSource images = loaded.images();
        int classes = saved.shape().classes();
        String set = input.set;
        String model = input.model;
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        CachedImages rows = CachedImages.load(spark, images, parts, set + " set");
        ConfusionSums sums;
        try {
            sums = EvaluationJob.evaluate(rows, saved.shape(), saved.params(), "evaluate " + set + " set");
        } finally {
            rows.release();
        }
        ClassificationMetrics metrics = new ClassificationMetrics(sums.counts());
        PrintStream console = System.out;
        double meanLoss = sums.lossSum() / metrics.total();
        console.printf(Locale.ROOT, "model %s %s on the %s set (%d rows from %s)%n", model, saved.shape(), set,
                metrics.total(), data);
        console.printf(Locale.ROOT, "accuracy %.4f  mean loss %.4f  macro F1 %.4f%n", metrics.accuracy(), meanLoss,
                metrics.macroF1());
        console.printf(Locale.ROOT, "%6s %10s %10s %10s %8s%s%n", "class", "precision", "recall", "f1", "support",
                saved.classNames().isEmpty() ? "" : "  name");
        for (int k = 0; k < classes; k++) {
            console.printf(Locale.ROOT, "%6d %10.4f %10.4f %10.4f %8d%s%n", k, metrics.precision(k), metrics.recall(k),
                    metrics.f1(k), metrics.support(k), saved.classNames().isEmpty() ? "" : "  " + saved.className(k));
        }
        console.println("confusion matrix (rows: actual class, columns: predicted class)");
        long[][] counts = metrics.counts();
        StringBuilder header = new StringBuilder("      ");
        for (int p = 0; p < classes; p++) {
            header.append(String.format(Locale.ROOT, "%6d", p));
        }
        console.println(header);
        for (int a = 0; a < classes; a++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d", a));
            for (int p = 0; p < classes; p++) {
                line.append(String.format(Locale.ROOT, "%6d", counts[a][p]));
            }
            console.println(line);
        }
        JsonFile.write(outPath, json(metrics, meanLoss, saved,
                SecretRedaction.of(CollectionConverters.asJava(spark.conf().getAll()))), hadoop);
        console.println("wrote " + outPath);
        return 0;
    }

    private ObjectNode json(ClassificationMetrics metrics, double meanLoss, SavedModel saved, SecretRedaction redaction) {
        String model = input.model;
        String set = input.set;
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", redaction.text(model));
        root.put("data", redaction.text(data));
        root.put("set", set);
        root.put("rows", metrics.total());
        root.put("accuracy", metrics.accuracy());
        root.put("mean_loss", meanLoss);
        root.put("macro_f1", metrics.macroF1());
        var perClass = root.putArray("classes");
        for (int k = 0; k < saved.shape().classes(); k++) {
            var entry = perClass.addObject().put("class", k);
            if (!saved.classNames().isEmpty()) {
                entry.put("name", saved.className(k));
            }
            entry.put("precision", metrics.precision(k)).put("recall", metrics.recall(k))
                    .put("f1", metrics.f1(k)).put("support", metrics.support(k));
        }
        var matrix = root.putArray("confusion_matrix");
        for (long[] row : metrics.counts()) {
            var r = matrix.addArray();
            for (long c : row) {
                r.add(c);
            }
        }
        return root;
    }
}
