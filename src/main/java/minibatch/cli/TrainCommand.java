package minibatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.data.SamplingPath;
import minibatch.model.ParameterDigest;
import minibatch.nn.Activation;
import minibatch.report.RunDirectory;
import minibatch.report.RunReport;
import minibatch.report.SummaryJson;
import minibatch.training.TrainingJob;
import minibatch.training.TrainingResult;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: distributed mini-batch SGD on MNIST-style IDX data, writing a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfDefaults.class,
        description = {
            "Trains a fully connected softmax classifier with distributed mini-batch SGD.",
            "Every step samples ~batch-size rows with Spark's sample, sums loss and gradient on the",
            "executors, divides by the rows actually sampled on the driver and updates the weights.",
            "Defaults come from conf/train.properties; options given here win."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder (any Hadoop path) with train-images-idx3-ubyte, "
            + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder to create (any Hadoop path). "
            + "Default: data/runs/train-<date>-<time>")
    String out;

    @Option(names = "--overwrite", description = "Replace --out if it already holds a run.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[*], spark://host:7077, yarn. "
            + "Default: what spark-submit set, else local[*]")
    String master;

    @Option(names = "--hidden", paramLabel = "SIZES", split = ",", description = "Hidden layer widths, comma separated "
            + "(e.g. 256,128). Default: ${DEFAULT-VALUE}")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: sigmoid or relu. Default: ${DEFAULT-VALUE}")
    String activation;

    @Option(names = "--batch-size", paramLabel = "N", description = "Expected rows per mini-batch; each row is sampled with "
            + "probability N / rows. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "SGD step size. Default: ${DEFAULT-VALUE}")
    double learningRate;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps. Default: ${DEFAULT-VALUE}")
    long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Train for N epochs of rows / batch-size steps instead of --steps.")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial weights and of every step's sample. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the cached data; 0 = Spark's default "
            + "parallelism (one per core). Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes; every label must be below it. Default: ${DEFAULT-VALUE}")
    int classes;

    @Option(names = "--sampler", paramLabel = "PATH", description = "How the training rows are cached and sampled: "
            + "rdd (RDD.sample over cached objects) or dataframe (Dataset.sample over a cached DataFrame). Default: ${DEFAULT-VALUE}")
    String sampler;

    @Option(names = "--progress-seconds", paramLabel = "S", description = "Seconds between progress lines. Default: ${DEFAULT-VALUE}")
    double progressSeconds;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=2g. "
            + "Values of keys naming a secret, password, token, credential or access.key are never written or printed.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        TrainingConfig config = config();
        PrintStream console = System.out;
        SparkSession spark = JobSession.create("spark-minibatch train", config.master(), config.sparkConf());
        var hadoop = spark.sparkContext().hadoopConfiguration();
        RunDirectory dir = RunDirectory.prepare(config.out(), config.overwrite(), hadoop);
        console.printf("spark %s, master %s, default parallelism %d; writing %s%n", spark.version(),
                spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), dir.target());

        TrainingResult result = TrainingJob.train(spark, config, console);

        Map<String, String> settings = new LinkedHashMap<>();
        for (var entry : spark.sparkContext().getConf().getAll()) {
            settings.put(entry._1(), entry._2());
        }
        var summary = SummaryJson.build(config, result, settings, spark.version(), (System.nanoTime() - started) / 1e9);
        RunReport.write(dir, result, summary, hadoop);
        var last = result.last();
        console.printf(Locale.ROOT, "done: %d steps in %.1f s (%.2f ms/step mean, %.2f median), %d empty batches; "
                        + "test accuracy %.4f, train accuracy %.4f%nweights_sha256 %s%nwrote %s%n",
                result.steps().size(), result.trainingSeconds(), result.meanStepMillis(), result.medianStepMillis(),
                result.emptyBatches(), last.testAccuracy(), last.trainAccuracy(),
                ParameterDigest.sha256(result.params()), dir.target());
        return 0;
    }

    /** Validates the parsed options into one record; an explicit --epochs replaces the default --steps. */
    TrainingConfig config() {
        var parsed = spec.commandLine().getParseResult();
        long effectiveSteps = parsed.hasMatchedOption("--epochs") && !parsed.hasMatchedOption("--steps") ? 0 : steps;
        String outDir = out != null ? out
                : "data/runs/train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Activation act = parse("--activation", activation, Activation::parse);
        SamplingPath path = parse("--sampler", sampler, SamplingPath::parse);
        return new TrainingConfig(data, outDir, master, hidden, act, batchSize, learningRate, effectiveSteps, epochs,
                seed, partitions, classes, path, overwrite, progressSeconds, conf);
    }

    private static <T> T parse(String option, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }
}
