package minibatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.WriteFailure;
import minibatch.config.OptimizerConfig;
import minibatch.config.ScheduleConfig;
import minibatch.config.StepMode;
import minibatch.config.TrainingConfig;
import minibatch.data.DataFormat;
import minibatch.data.ImageSources;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.report.RunDirectory;
import minibatch.training.StopRequest;
import minibatch.training.TrainingFromFiles;
import minibatch.training.TrainingResult;
import minibatch.training.checkpoint.CheckpointStore;
import minibatch.training.checkpoint.Checkpointing;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code train}: distributed mini-batch SGD on MNIST-style IDX data, writing a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfDefaults.class,
        description = {
            "Trains a fully connected softmax classifier with distributed mini-batch SGD. Every step samples "
                + "~batch-size rows with Spark's sample, sums loss and gradient on the executors, divides by the rows "
                + "actually sampled on the driver and updates the weights.",
            "Defaults come from conf/train.properties; options given here win.", ""})
public final class TrainCommand implements Callable<Integer> {
    /** Exit status after a stop on request (128 + SIGINT's number, as shells report Ctrl-C). */
    static final int STOPPED = 130;

    @Spec
    CommandSpec spec;

    /** Set by Main for the CLI process: stop cleanly on SIGINT/SIGTERM. */
    boolean handleSignals;

    /** Tests may request a stop through this. */
    StopRequest stop = StopRequest.manual();

    @Option(names = "--data", paramLabel = "DIR", description = "Folder (any Hadoop path) with a train and a test set: "
            + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz), "
            + "or train.csv and test.csv, or the same names ending in .parquet or .libsvm, or image folders train/<class>/ "
            + "and test/<class>/, or train-*.parquet and test-*.parquet of encoded images. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--format", paramLabel = "FORMAT", description = "auto, idx, csv, parquet, libsvm, folders "
            + "(train/<class>/*.png|jpg) or hub (train-*.parquet of encoded images); auto tells by the folder's files. "
            + "Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder to create (any Hadoop path). "
            + "Default: data/runs/train-<date>-<time>")
    String out;

    @Option(names = "--overwrite", description = "Replace --out if it already holds a run: a finished run is replaced "
            + "only when the new one finishes, unfinished checkpoints at the new run's first checkpoint.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[*], spark://HOST:7077, yarn. "
            + "Default: what spark-submit set, else local[*]")
    String master;

    @Option(names = "--hidden", paramLabel = "SIZES", split = ",", description = "Hidden layer widths, comma separated "
            + "(e.g. 256,128). Default: ${DEFAULT-VALUE}")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: sigmoid, relu, tanh or step "
            + "(step cannot learn: its derivative is 0). Default: ${DEFAULT-VALUE}")
    String activation;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Hidden layers instead of --hidden and --activation, e.g. "
            + "conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2: conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], dense<N>, "
            + "dropout<P>, sigmoid, relu, tanh, step; the output layer and softmax are added.")
    String layers;

    @Option(names = "--init", paramLabel = "NAME", description = "Weight initialisation, normal with mean 0: std "
            + "(sd 0.01), xavier (sd sqrt(1/fan_in)) or he (sd sqrt(2/fan_in)); biases 0. Default: ${DEFAULT-VALUE}")
    String init;

    @Option(names = "--batch-size", paramLabel = "N", description = "Expected rows per mini-batch; each row is sampled with "
            + "probability N / rows. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Base learning rate. Default: ${DEFAULT-VALUE}")
    double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, nesterov, adagrad, rmsprop or adam. "
            + "Default: ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "MU", description = "Momentum of momentum and nesterov. Default: ${DEFAULT-VALUE}")
    double momentum;

    @Option(names = "--rho", paramLabel = "RHO", description = "Decay of RMSProp's squared-gradient average. Default: ${DEFAULT-VALUE}")
    double rho;

    @Option(names = "--beta1", paramLabel = "B1", description = "Adam's first-moment decay. Default: ${DEFAULT-VALUE}")
    double beta1;

    @Option(names = "--beta2", paramLabel = "B2", description = "Adam's second-moment decay. Default: ${DEFAULT-VALUE}")
    double beta2;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "Added to square roots in adagrad, rmsprop and adam. "
            + "Default: ${DEFAULT-VALUE}")
    double epsilon;

    @Option(names = "--lr-schedule", paramLabel = "NAME", description = "constant, step (lr*rate^floor(t/decay-steps)), "
            + "exponential (lr*rate^(t/decay-steps)) or cosine (from lr to lr-min over the run). Default: ${DEFAULT-VALUE}")
    String lrSchedule;

    @Option(names = "--lr-decay-steps", paramLabel = "N", description = "Steps per decay period. Default: ${DEFAULT-VALUE}")
    long lrDecaySteps;

    @Option(names = "--lr-decay-rate", paramLabel = "R", description = "Decay factor per period. Default: ${DEFAULT-VALUE}")
    double lrDecayRate;

    @Option(names = "--lr-min", paramLabel = "LR", description = "Final rate of cosine decay. Default: ${DEFAULT-VALUE}")
    double lrMin;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warm-up over the first N steps (0 = none). "
            + "Default: ${DEFAULT-VALUE}")
    long warmupSteps;

    @Option(names = "--weight-decay", paramLabel = "L", description = "L2 coefficient on weights, not biases "
            + "(adds L*W to the mean gradient). Default: ${DEFAULT-VALUE}")
    double weightDecay;

    @Option(names = "--dropout", paramLabel = "P", description = "Probability of dropping each hidden unit while training "
            + "(inverted dropout, seeded). Default: ${DEFAULT-VALUE}")
    double dropout;

    @Option(names = "--sampling", paramLabel = "MODE", description = "bernoulli (without replacement) or poisson "
            + "(with replacement: rows may repeat). Default: ${DEFAULT-VALUE}")
    String sampling;

    @Option(names = "--channels", paramLabel = "N", description = "Values per pixel: 1 (gray) or 3 (R, G, B, channels "
            + "last); 3 for image folders and hub Parquet only. Default: ${DEFAULT-VALUE}")
    int channels;

    @Option(names = "--replicate", paramLabel = "K", description = "Use every training image K times (copies shifted "
            + "by up to 2 pixels, generated on the executors): to measure how a step scales with data size. "
            + "Default: ${DEFAULT-VALUE}")
    int replicate;

    @Option(names = "--batch-stats", description = "Print the realised batch sizes (mean, min, max) at the end.")
    boolean batchStats;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Write a checkpoint (weights, optimizer state, "
            + "step, metrics) to OUT/checkpoints every K steps; the last 2 are kept. 0 = never. Default: ${DEFAULT-VALUE}")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue the unfinished run in --out from its newest intact checkpoint, "
            + "with the same options; the result is identical to an uninterrupted run.")
    boolean resume;

    @Option(names = "--profile", description = "Print where the steps' time went: driver phases (sample and closure, "
            + "Spark job, merge, update) and task phases from Spark's task metrics.")
    boolean profile;

    @Option(names = "--validation-fraction", paramLabel = "F", description = "Hold out this part of the training rows "
            + "(seeded split) and report validation loss and accuracy. Default: ${DEFAULT-VALUE}")
    double validationFraction;

    @Option(names = "--early-stopping-patience", paramLabel = "N", description = "Stop when the validation loss has not "
            + "improved for N evaluations and keep the best weights (0 = off). Default: ${DEFAULT-VALUE}")
    int patience;

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

    @Option(names = "--sampler", paramLabel = "MODE", description = "How the steps run; every mode draws Dataset.sample's "
            + "rows of the cached DataFrame and gives the same weights: dataframe (one Spark job per step calling "
            + "Dataset.sample, the reference), barrier (barrier-stage tasks that stay up between evaluations draw the same "
            + "rows with Spark's sampler) or auto (barrier where the cluster can run it, else dataframe). "
            + "Default: ${DEFAULT-VALUE}")
    String sampler;

    @Option(names = "--progress-seconds", paramLabel = "S", description = "Seconds between progress lines. Default: ${DEFAULT-VALUE}")
    double progressSeconds;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=2g. "
            + "Secrets are never written or printed: values whose key or value Spark's spark.redaction.regex finds "
            + "(with storage keys and your own spark.redaction.regex added), and URL passwords.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        TrainingConfig config = config();
        PrintStream console = System.out;
        if (checkpointEvery < 0) {
            throw new UserError("--checkpoint-every must be >= 0 (got " + checkpointEvery + ")");
        }
        if (resume && out == null) {
            throw new UserError("--resume needs --out, the folder of the run to continue");
        }
        // what can be checked before Spark starts is checked first (local IDX headers say whether the layers fit)
        JobSession.checkSettings(config.master(), config.sparkConf());
        config.requireLayersFit(ImageSources.precheck(config.data(), "--data", config.format(), ImageSources.Use.TRAINING,
                "train", "test"));
        // the more telling line first: an --out that holds the data also holds files that are not a run's
        CommandOutput.precheckOutsideInputs("--out", config.out(), List.of(Map.entry("--data", config.data())));
        RunDirectory.precheck(config.out(), config.overwrite(), resume);
        SparkSession spark = JobSession.create("spark-minibatch train", config.master(), config.sparkConf());
        var hadoop = spark.sparkContext().hadoopConfiguration();
        CommandOutput.requireOutsideInputs("--out", config.out(), List.of(Map.entry("--data", config.data())), hadoop);
        RunDirectory dir = RunDirectory.prepare(config.out(), config.overwrite(), resume, hadoop);
        // Checkpoints go to OUT/checkpoints: every K steps if asked, and always when a stop is requested. A new
        // run's first checkpoint replaces any there; an old finished run's files stay until this run commits.
        CheckpointStore store = resume ? new CheckpointStore(dir.target(), hadoop)
                : CheckpointStore.forNewRun(dir.target(), hadoop);
        if (handleSignals) {
            stop = StopRequest.onSignals();
        }
        Checkpointing checkpointing = Checkpointing.of(store, checkpointEvery, resume, stop, System.err);
        console.printf("spark %s, master %s, default parallelism %d; writing %s%n", spark.version(),
                spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), dir.target());

        TrainingResult result;
        try {
            result = TrainingFromFiles.train(spark, config, console, profile, checkpointing);
        } catch (StopRequest.Stopped stopped) {
            System.err.printf("%s; checkpoint written to %s. Continue with the same command and --resume.%n",
                    stopped.getMessage(), store.folder());
            return STOPPED;
        }
        try {
            FinishedRun.write(spark, dir, config, result, (System.nanoTime() - started) / 1e9);
        } catch (Exception e) {
            throw WriteFailure.during("the run's outputs", dir.target(), e);
        }
        FinishedRun.print(console, config, result, batchStats, dir);
        return 0;
    }

    /** Validates the parsed options into one record; an explicit --epochs replaces the default --steps. */
    TrainingConfig config() {
        var parsed = spec.commandLine().getParseResult();
        long effectiveSteps = parsed.hasMatchedOption("--epochs") && !parsed.hasMatchedOption("--steps") ? 0 : steps;
        String outDir = out != null ? out
                : "data/runs/train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Activation act = OptionValues.parse("--activation", activation, Activation::parse);
        StepMode path = OptionValues.parse("--sampler", sampler, StepMode::parse);
        Initializer initializer = OptionValues.parse("--init", init, Initializer::parse);
        var opt = new OptimizerConfig(OptionValues.parse("--optimizer", optimizer, OptimizerConfig.Kind::parse), momentum,
                rho, beta1, beta2, epsilon);
        var schedule = new ScheduleConfig(OptionValues.parse("--lr-schedule", lrSchedule, ScheduleConfig.Kind::parse),
                lrDecaySteps, lrDecayRate, lrMin, warmupSteps);
        boolean withReplacement = OptionValues.parse("--sampling", sampling, OptionValues::withReplacement);
        DataFormat dataFormat = OptionValues.parse("--format", format, DataFormat::parse);
        if (layers != null && (parsed.hasMatchedOption("--hidden") || parsed.hasMatchedOption("--activation"))) {
            throw new UserError("--layers replaces --hidden and --activation: give one or the other");
        }
        return new TrainingConfig(data, dataFormat, outDir, master, hidden, act, initializer, batchSize, learningRate, opt, schedule,
                effectiveSteps, epochs, seed, partitions, classes, path, withReplacement, weightDecay, dropout,
                validationFraction, patience, replicate, channels, overwrite, progressSeconds, conf, layers);
    }

    /**
     * The configuration {@code train} would run with for {@code args} (defaults from
     * conf/train.properties); for tests and embedding.
     */
    public static TrainingConfig parseConfig(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
