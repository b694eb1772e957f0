package minibatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.bench.Benchmark;
import minibatch.report.JsonFile;
import minibatch.report.ResultFile;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: in one Spark application on the same master and data, times (a) our training,
 * (b) the same steps in one thread without Spark, (c) an empty Spark job per step, (d) the
 * first-try DataFrame loop, (e) MLlib's MLP; prints a table and writes bench.json.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times our training step against its compute floor, the scheduler floor, a first-try Spark "
                + "loop and MLlib's MultilayerPerceptronClassifier, in one run; writes a table and bench.json.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "MNIST folder. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench.json", description = "Where bench.json goes; "
            + "an existing file is replaced only if it is an earlier bench.json. Default: ${DEFAULT-VALUE}")
    String out;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3000", description = "Steps of (a), (b) and (c). Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "300", description = "Leading steps excluded from the statistics. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--jvm-warmup", paramLabel = "N", defaultValue = "3000", description = "Steps of (a)'s loop run "
            + "first and not reported, so no entry pays for the JVM compiling Spark's code (the first-try loop then also "
            + "runs --naive-steps steps unreported before (d1) and (d)); 0 skips. Default: ${DEFAULT-VALUE}")
    int jvmWarmup;

    @Option(names = "--naive-steps", paramLabel = "N", defaultValue = "300", description = "Steps of the slow first-try loop (d). Default: ${DEFAULT-VALUE}")
    int naiveSteps;

    @Option(names = "--mllib-iterations", paramLabel = "N", defaultValue = "100", description = "l-bfgs iterations of (e); 0 skips it. Default: ${DEFAULT-VALUE}")
    int mllibIterations;

    @Option(names = "--replicate", paramLabel = "K", defaultValue = "10", description = "Also run (a) on K times the training "
            + "rows (shifted copies); 1 skips it. Default: ${DEFAULT-VALUE}")
    int replicate;

    @Option(names = "--target-accuracy", paramLabel = "ACC", defaultValue = "0.97", description = "(f): time for the best "
            + "configuration to reach this test accuracy; 0 skips it. Default: ${DEFAULT-VALUE}")
    double targetAccuracy;

    @Option(names = "--target-epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (f) may use. Default: ${DEFAULT-VALUE}")
    int targetEpochs;

    @Option(names = "--large-steps", paramLabel = "N", defaultValue = "300", description = "Steps of the large "
            + "network's (h) and (hb) (784-1024-1024-10 relu, adam); 0 skips them. Default: ${DEFAULT-VALUE}")
    int largeSteps;

    @Option(names = "--f98-epochs", paramLabel = "N", defaultValue = "8", description = "Epochs of (f98), the fastest "
            + "configuration found to test accuracy 0.98 (its learning rate decays over them); 0 skips it. "
            + "Default: ${DEFAULT-VALUE}")
    int f98Epochs;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Partitions; 0 = one per core. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() throws IOException {
        if (steps <= 0 || warmup < 0 || warmup >= steps || naiveSteps < 0 || mllibIterations < 0 || partitions < 0
                || largeSteps < 0 || f98Epochs < 0) {
            throw new UserError("--steps must be > --warmup >= 0; --naive-steps, --mllib-iterations, --large-steps, "
                    + "--f98-epochs and --partitions >= 0");
        }
        if (replicate < 1 || !(targetAccuracy >= 0 && targetAccuracy < 1) || targetEpochs < 1 || jvmWarmup < 0) {
            throw new UserError("--replicate must be >= 1, --target-accuracy in [0, 1), --target-epochs >= 1, "
                    + "--jvm-warmup >= 0");
        }
        SparkSession spark = sparkOptions.session("spark-minibatch bench");
        PrintStream console = System.out;
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Path outPath = ResultFile.BENCH.checkReplaceable(out, "--out", hadoop);
        Benchmark.Settings settings = new Benchmark.Settings(data, steps, warmup, naiveSteps, mllibIterations,
                partitions, seed, replicate, targetAccuracy, targetEpochs, jvmWarmup, largeSteps, f98Epochs);
        Benchmark.Outcome outcome = Benchmark.run(spark, settings, console);

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("date", Instant.now().toString());
        context.put("spark_version", spark.version());
        context.put("java_version", System.getProperty("java.version"));
        context.put("master", spark.sparkContext().master());
        context.put("cores", Runtime.getRuntime().availableProcessors());
        context.put("partitions", outcome.partitions());
        context.put("network", "784-50-10 sigmoid, std init, SGD lr 0.1, batch 100");
        context.put("steps", steps);
        context.put("large_steps", largeSteps);
        context.put("warmup_excluded", warmup);
        context.put("jvm_warmup_steps", jvmWarmup);
        context.putAll(outcome.extras());
        var json = minibatch.bench.BenchReport.json(outcome.entries(), outcome.ratios(), context);
        JsonFile.write(outPath, json, hadoop);
        console.println("wrote " + outPath);
        return 0;
    }
}
