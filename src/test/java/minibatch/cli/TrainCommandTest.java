package minibatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import minibatch.model.ModelReader;
import minibatch.model.ParameterDigest;
import minibatch.testing.CliArgs;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train command end to end through the CLI entry point, on the shared local[2] session. */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainCommandTest {
    private static final String SECRET = "SUPERSECRET-9f3a";

    @TempDir
    static Path dir;
    Path data;

    @BeforeAll
    void writeData(SparkSession spark) throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 300, 60, 9);
    }

    private record Run(int status, String stderr) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    /** The base options of a small run, with {@code extra} (option, value pairs) replacing or adding options. */
    /** What a run of {@code args} prints on stdout; the run must succeed. */
    private String printedBySuccessfulRun(String[] args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run(args).status());
        } finally {
            System.setOut(saved);
        }
        return console.toString(StandardCharsets.UTF_8);
    }

    private String[] trainArgs(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(CliArgs.merged(List.of("--data", data.toString(), "--out", out.toString(), "--master",
                "local[2]", "--hidden", "8", "--classes", "4", "--batch-size", "20", "--learning-rate", "0.5",
                "--steps", "60", "--seed", "3"), extra)));
        return args.toArray(String[]::new);
    }

    @Test
    void trainWritesACompleteRunFolder() throws IOException {
        Path out = dir.resolve("run");
        Run r = run(trainArgs(out, "--conf", "spark.hadoop.fs.s3a.secret.key=" + SECRET));
        assertEquals(0, r.status(), r.stderr());
        for (String f : List.of("model/data/model.json", "model/data/weights.bin", "model/metadata/_SUCCESS", "loss.png", "accuracy.png",
                "confusion.png", "report.html", "steps.csv", "epochs.csv", "summary.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("final_train_accuracy", "final_test_accuracy", "steps", "batch_size", "wall_seconds",
                "ms_per_step", "empty_batches", "weights_sha256")) {
            assertTrue(summary.has(key), "summary.json lacks " + key);
        }
        assertEquals(60, summary.get("steps").asInt());
        assertEquals(20, summary.get("batch_size").asInt());
        List<String> epochs = Files.readAllLines(out.resolve("epochs.csv"));
        assertEquals("epoch,step,train_loss,train_accuracy,validation_loss,validation_accuracy,test_loss,test_accuracy",
                epochs.get(0));
        assertEquals(summary.get("final_test_accuracy").asText(), epochs.get(epochs.size() - 1).split(",")[7]);
        var model = ModelReader.readModelFolder(new org.apache.hadoop.fs.Path(out.resolve("model").toUri()), new Configuration());
        assertEquals(summary.get("weights_sha256").asText(), ParameterDigest.sha256(model.params()));
        assertEquals(61, Files.readAllLines(out.resolve("steps.csv")).size());
        assertEquals("step,loss,batch_rows,step_ms,elapsed_ms,lr", Files.readAllLines(out.resolve("steps.csv")).get(0));
        // 300 rows / 20 = 15 steps per epoch: evaluations at steps 15, 30, 45 and 60
        assertEquals(5, epochs.size());

        assertEquals("*********(redacted)", summary.at("/config/spark_conf/spark.hadoop.fs.s3a.secret.key").asText());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET), f + " leaks the secret");
            }
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "staging folder left behind");
        }
    }

    @Test
    void finishedRunIsReplacedOnlyWithOverwrite() throws IOException {
        Path out = dir.resolve("twice");
        assertEquals(0, run(trainArgs(out)).status());
        String before = Files.readString(out.resolve("summary.json"));
        Run again = run(trainArgs(out, "--seed", "4"));
        assertEquals(2, again.status());
        assertEquals("error: --out " + out + ": holds a finished run (use --overwrite to replace it)", again.stderr().strip());
        assertEquals(before, Files.readString(out.resolve("summary.json")));
        Run overwrite = run(trainArgs(out, "--seed", "4", "--overwrite"));
        assertEquals(0, overwrite.status(), overwrite.stderr());
        assertFalse(before.equals(Files.readString(out.resolve("summary.json"))));
    }

    /**
     * The default path (resident barrier steps) and the literal one (a job per step calling
     * {@code Dataset.sample}) end with the same weights, with either sampling; and a rerun too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bernoulli", "poisson"})
    void theDefaultSamplerEndsWithTheWeightsOfDatasetSampleEveryStep(String sampling) throws IOException {
        assertEquals(0, run(trainArgs(dir.resolve(sampling + "-default"), "--sampling", sampling)).status());
        assertEquals(0, run(trainArgs(dir.resolve(sampling + "-again"), "--sampling", sampling)).status());
        assertEquals(0, run(trainArgs(dir.resolve(sampling + "-dataframe"), "--sampling", sampling, "--sampler",
                "dataframe")).status());
        ObjectMapper json = new ObjectMapper();
        JsonNode resident = json.readTree(dir.resolve(sampling + "-default/summary.json").toFile());
        JsonNode literal = json.readTree(dir.resolve(sampling + "-dataframe/summary.json").toFile());
        assertEquals("barrier", resident.get("sampler").asText());
        assertEquals("dataframe", literal.get("sampler").asText());
        assertEquals(literal.get("weights_sha256"), resident.get("weights_sha256"));
        assertEquals(resident.get("weights_sha256"),
                json.readTree(dir.resolve(sampling + "-again/summary.json").toFile()).get("weights_sha256"));
    }

    /**
     * A network with a layer wide enough for matrix products of the batch (dgemm): the default path,
     * a rerun and {@code Dataset.sample} every step end alike; summary.json names the kernels and BLAS.
     */
    @Test
    void aDgemmLayerGivesTheSameWeightsOnEveryPathAndRerun() throws IOException {
        String[] wide = {"--hidden", "128,128", "--activation", "relu", "--init", "he", "--dropout", "0.2",
            "--learning-rate", "0.05", "--steps", "30"};
        assertEquals(0, run(trainArgs(dir.resolve("wide-default"), wide)).status());
        assertEquals(0, run(trainArgs(dir.resolve("wide-again"), wide)).status());
        List<String> literal = new ArrayList<>(List.of(wide));
        literal.addAll(List.of("--sampler", "dataframe"));
        assertEquals(0, run(trainArgs(dir.resolve("wide-dataframe"), literal.toArray(String[]::new))).status());
        ObjectMapper json = new ObjectMapper();
        JsonNode resident = json.readTree(dir.resolve("wide-default/summary.json").toFile());
        assertEquals("sparse_rows, dense_gemm, sparse_rows", resident.get("kernels").asText());
        assertFalse(resident.get("blas").asText().isEmpty());
        // local mode: the tasks run in the driver's JVM, whose BLAS they report
        assertEquals("[\"executor driver: " + resident.get("blas").asText() + "\"]", resident.get("executor_blas").toString());
        for (String other : List.of("wide-again", "wide-dataframe")) {
            assertEquals(resident.get("weights_sha256"),
                    json.readTree(dir.resolve(other + "/summary.json").toFile()).get("weights_sha256"), other);
        }
    }

    @Test
    void divergenceEndsWithOneErrorLineAndNoOutput() {
        Path out = dir.resolve("diverged");
        Run r = run(trainArgs(out, "--learning-rate", "1e300", "--activation", "relu", "--init", "he"));
        assertEquals(2, r.status(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("error: training diverged at step "), r.stderr());
        assertFalse(Files.exists(out));
    }

    @Test
    void emptySamplesSkipTheUpdateAndAreCounted() throws IOException {
        // batch size 1 of 300 rows: each step's Bernoulli sample is empty with probability (1 - 1/300)^300 ≈ 0.37
        Path out = dir.resolve("empty-batches");
        assertEquals(0, run(trainArgs(out, "--batch-size", "1", "--steps", "40")).status());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        List<String> steps = Files.readAllLines(out.resolve("steps.csv"));
        long empty = steps.stream().skip(1).filter(l -> l.split(",", -1)[2].equals("0")).count();
        assertTrue(empty > 0, "no empty sample in 40 steps");
        assertEquals(empty, summary.get("empty_batches").asLong());
        for (String line : steps.subList(1, steps.size())) {
            String[] f = line.split(",", -1);
            assertEquals(f[2].equals("0"), f[1].isEmpty(), "an empty step has no loss, a non-empty one has: " + line);
        }
    }

    @Test
    void profilePrintsEveryPhaseWithTaskMetrics() {
        String text = printedBySuccessfulRun(trainArgs(dir.resolve("profiled"), "--profile", "--sampler", "dataframe"));
        assertTrue(text.contains("profile over 60 steps ("), text);
        for (String phase : List.of("driver: sample and closure", "driver: spark job", "driver: merge", "driver: update",
                "tasks: scheduler delay and launch", "tasks: deserialize (closure with weights)",
                "tasks: run (sample + forward/backward)", "tasks: serialize result")) {
            assertTrue(text.contains("  " + phase), phase + " missing in: " + text);
        }
        // tasks come from the listener: 2 partitions x 60 steps (the last few events may still be in flight)
        var matcher = java.util.regex.Pattern.compile("profile over 60 steps \\((\\d+) tasks\\)").matcher(text);
        assertTrue(matcher.find(), text);
        int tasks = Integer.parseInt(matcher.group(1));
        assertTrue(tasks > 60 && tasks <= 120, "tasks " + tasks);
    }

    @Test
    void profileOfBarrierStepsPrintsTheExchangeAndTheTasksWork() throws IOException {
        Path out = dir.resolve("profiled-barrier");
        String text = printedBySuccessfulRun(trainArgs(out, "--profile", "--sampler", "barrier"));
        assertTrue(text.contains("sampler: barrier (Dataset.sample's rows drawn by barrier-stage tasks"), text);
        assertTrue(text.contains("profile over 60 steps in barrier tasks"), text);
        var matcher = java.util.regex.Pattern.compile("  tasks: sample \\+ forward/backward \\(barrier\\) +[0-9.]+ +([0-9.]+)")
                .matcher(text);
        assertTrue(matcher.find(), text);
        assertTrue(Double.parseDouble(matcher.group(1)) > 0, text);
        for (String phase : List.of("driver: sample and closure", "driver: barrier exchange", "driver: merge", "driver: update")) {
            assertTrue(text.contains("  " + phase), phase + " missing in: " + text);
        }
        assertFalse(text.contains("driver: spark job"), text);
        // local[2] is one executor: its two tasks send one message a step
        assertTrue(text.contains("  partial sums sent by executor driver: [0, 1]"), text);
        JsonNode traffic = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("driver_traffic_per_step");
        assertTrue(traffic.get("messages_received").asDouble() >= 1.0 && traffic.get("messages_received").asDouble() < 1.2,
                traffic.toString());
        assertTrue(traffic.get("bytes_received").asDouble() > traffic.get("bytes_sent").asDouble() * 0.9, traffic.toString());
    }

    @Test
    void autoRunsOneJobPerStepWhereBarrierStepsCannotRunAndSaysWhy() throws IOException {
        Path out = dir.resolve("auto-three-partitions");
        String text = printedBySuccessfulRun(trainArgs(out, "--partitions", "3")); // local[2]: two task slots
        assertTrue(text.contains("sampler: dataframe (resident steps unavailable: the tasks of all 3 partitions must run "
                + "at once, but only 2 task slots are available; one Spark job per step over Dataset.sample)"), text);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("dataframe", summary.get("sampler").asText());
        assertEquals("auto", summary.at("/config/sampler").asText());
    }

    @Test
    void barrierStepsWithMorePartitionsThanTaskSlotsAreOneErrorLine() {
        Path out = dir.resolve("barrier-three-partitions");
        Run r = run(trainArgs(out, "--partitions", "3", "--sampler", "barrier"));
        assertEquals(2, r.status(), r.stderr());
        assertEquals("error: --sampler barrier: the tasks of all 3 partitions must run at once, but only 2 task slots "
                + "are available; use --sampler dataframe or --partitions 2", r.stderr().strip());
        assertFalse(Files.exists(out), "output written for a user mistake");
    }

    @Test
    void batchStatsPrintsTheRealisedBatchSizes() throws IOException {
        Path out = dir.resolve("stats");
        String text = printedBySuccessfulRun(trainArgs(out, "--batch-stats", "--sampling", "poisson"));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        String expected = String.format(java.util.Locale.ROOT, "batch rows (N per step): mean %.2f, min %d, max %d over 60 steps",
                summary.get("mean_batch_rows").asDouble(), summary.get("min_batch_rows").asLong(),
                summary.get("max_batch_rows").asLong());
        assertTrue(text.contains(expected), text);
        assertTrue(summary.get("min_batch_rows").asLong() < 20 && summary.get("max_batch_rows").asLong() > 20);
        assertEquals("poisson (with replacement), fraction batch_size / train_rows", summary.at("/config/sampling").asText());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--batch-size|0|error: --batch-size must be > 0 (got 0)",
        "--batch-size|301|error: --batch-size 301 is larger than the 300 training rows",
        "--hidden|0|error: --hidden sizes must be > 0 (got [0])",
        "--partitions|-1|error: --partitions must be >= 0, 0 meaning one per core (got -1)",
        "--hidden|5,x|error: Invalid value for option '--hidden' (SIZES): 'x' is not an int",
        "--learning-rate|-1|error: --learning-rate must be a finite number > 0 (got -1.0)",
        "--learning-rate|NaN|error: --learning-rate must be a finite number > 0 (got NaN)",
        "--steps|0|error: --steps or --epochs must be > 0",
        "--epochs|2|error: give either --steps or --epochs, not both",
        "--activation|swish|error: --activation: unknown activation 'swish' (expected sigmoid, relu, tanh or step)",
        "--frobnicate|1|error: Unknown options: '--frobnicate', '1'",
        "--classes|3|holds label 3, outside the class range 0..2 of --classes 3",
        "--sampler|vector|error: --sampler: unknown sampler 'vector' (expected dataframe, barrier or auto)",
        "--optimizer|lbfgs|error: --optimizer: unknown optimizer 'lbfgs' (expected sgd, momentum, nesterov, adagrad, rmsprop or adam)",
        "--lr-schedule|linear|error: --lr-schedule: unknown schedule 'linear' (expected constant, step, exponential or cosine)",
        "--init|zeros|error: --init: unknown initializer 'zeros' (expected std, xavier or he)",
        "--sampling|stratified|error: --sampling: unknown sampling mode 'stratified' (expected bernoulli or poisson)",
        "--momentum|1|error: --momentum must be in [0, 1) (got 1.0)",
        "--dropout|1|error: --dropout must be in [0, 1) (got 1.0)",
        "--weight-decay|-0.1|error: --weight-decay must be >= 0 (got -0.1)",
        "--validation-fraction|1|error: --validation-fraction must be in [0, 1) (got 1.0)",
        "--early-stopping-patience|3|error: --early-stopping-patience needs --validation-fraction > 0",
        "--lr-decay-rate|0|error: --lr-decay-rate must be in (0, 1] (got 0.0)",
        "--hidden|4,0|error: --hidden sizes must be > 0 (got [4, 0])",
        "--data|/nonexistent/mnist|error: --data /nonexistent/mnist: not found",
    })
    void userMistakesGiveOneErrorLineExitTwoAndNoOutput(String option, String value, String expected) {
        Path out = dir.resolve("bad-" + option.replace("-", "") + "-" + Math.abs(value.hashCode()));
        Run r = run(trainArgs(out, option, value));
        assertEquals(2, r.status(), r.stderr());
        String stderr = r.stderr().strip();
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("error: "), stderr);
        assertTrue(stderr.contains(expected), "expected '" + expected + "' in: " + stderr);
        assertFalse(Files.exists(out), "output written for a user mistake");
    }
}
