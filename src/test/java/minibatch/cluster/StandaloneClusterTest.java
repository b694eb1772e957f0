package minibatch.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import minibatch.testing.CliRun;
import minibatch.testing.ExecutorKiller;
import minibatch.testing.IdxFixtures;
import minibatch.testing.RunSummary;
import minibatch.testing.StandaloneCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on a real standalone cluster (a Master and two Workers, separate JVMs on 127.0.0.1),
 * submitted through {@code submit.sh --master spark://...}: executors killed with {@code kill -9}
 * at four points of a run change nothing in the result (the weights of the same command on
 * {@code local[2]}; a kill mid-step in an earlier segment is YarnTest's), and a training set larger than the driver's heap trains.
 * Run alone with {@code mvn -B test -Dgroups=cluster}.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterTest {
    private static final long RUN_TIMEOUT_MINUTES = 6;

    @TempDir
    static Path dir;
    StandaloneCluster cluster;
    Path data;

    @BeforeAll
    void startCluster() throws IOException, InterruptedException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 3000, 300, 17);
        // two cores each, two in all for a run: one executor per worker, or one of two cores
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 2, "2g");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Run(int status, String output, JsonNode summary, double seconds) {
    }

    /** {@code submit.sh train} against the cluster; {@code onLine} sees each output line as it comes. */
    private Run submit(Path out, String driverMemory, Consumer<String> onLine, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "submit.sh", "train", "--master", cluster.masterUrl(),
                "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.driver.host=127.0.0.1", "--out", out.toString(), "--progress-seconds", "0.2"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(cluster.environment());
        pb.environment().remove("SPARK_HOME"); // no spark-submit there: submit.sh runs SparkSubmit from the classpath
        pb.environment().put("MINIBATCH_JAR", cluster.appJar().toString());
        pb.environment().put("MINIBATCH_CLASSPATH_FILE", cluster.classpathFile().toString());
        pb.environment().put("DRIVER_MEMORY", driverMemory);
        long t0 = System.nanoTime();
        Process driver = pb.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                onLine.accept(line);
            }
        } finally {
            if (!driver.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                driver.destroyForcibly();
            }
        }
        int status = driver.exitValue();
        Path summary = out.resolve("summary.json");
        return new Run(status, output.toString(), Files.exists(summary) ? new ObjectMapper().readTree(summary.toFile()) : null,
                (System.nanoTime() - t0) / 1e9);
    }

    private String[] trainOptions() {
        // relative to the driver's working directory, which executors do not share
        String relative = Path.of("").toAbsolutePath().relativize(data.toAbsolutePath()).toString();
        return new String[] {"--data", relative, "--partitions", "2", "--hidden", "8", "--batch-size", "20",
            "--learning-rate", "0.5", "--steps", "500", "--seed", "5"};
    }

    /**
     * Where executors die, one {@code kill -9} each, in one run: 3000 rows in batches of 20 make
     * 150 steps per epoch, so segments run steps 1-150, 151-300, 301-450 and 451-500 (the last),
     * with evaluations after steps 150, 300, 450 and 500.
     */
    private static final List<String> KILL_POINTS = List.of(
            "between_steps@60",    // segment 0: partition 0 has sent step 60's sums, waits for step 61
            "segment_start@1",     // segment 1: its task has read its partition, before the first step
            "evaluation@3",        // the train set's evaluation after epoch 3 (step 450)
            "mid_step@480");       // segment 3, the last one: partition 0 has step 480's order, has not computed it

    private String localSha;

    /** The same command in this JVM on {@code local[2]}: the weights every cluster run must end with. */
    private synchronized String localSha() throws IOException {
        if (localSha == null) {
            localSha = runLocal();
        }
        return localSha;
    }

    private String runLocal() throws IOException {
        Path out = dir.resolve("local");
        List<String> args = new ArrayList<>(List.of("train", "--master", "local[2]", "--out", out.toString(),
                "--progress-seconds", "100"));
        args.addAll(List.of(trainOptions()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.stderr());
        return RunSummary.weightsSha256(out);
    }

    @Test
    void executorsKilledAtFourPointsOfOneRunLeaveTheLocalRunsWeights() throws IOException, InterruptedException {
        Run disturbed;
        Map<String, Long> killed;
        try (ExecutorKiller killer = new ExecutorKiller(dir.resolve("chaos"), KILL_POINTS)) {
            List<String> options = new ArrayList<>(killer.sparkOptions());
            options.addAll(List.of(trainOptions()));
            disturbed = submit(dir.resolve("disturbed"), "1g", line -> { }, options.toArray(String[]::new));
            killed = killer.killed();
        }
        assertEquals(Set.copyOf(KILL_POINTS), killed.keySet(), "an executor killed at every point:\n" + disturbed.output());
        for (long pid : killed.values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "executor " + pid + " died");
        }
        assertEquals(0, disturbed.status(), disturbed.output());
        assertTrue(disturbed.output().contains("Lost executor") || disturbed.output().contains("lost executor")
                || disturbed.output().contains("Executor lost"), "Spark noticed the lost executors:\n" + disturbed.output());
        assertEquals(cluster.masterUrl(), disturbed.summary().at("/spark/conf/spark.master").asText(), disturbed.output());
        assertEquals("barrier", disturbed.summary().get("sampler").asText(), "resident steps, over Spark's RPC between JVMs");
        assertEquals(localSha(), disturbed.summary().get("weights_sha256").asText(),
                "retried tasks recompute the same samples: the local run's weights");
        // for the README's guarantees table: what four lost executors cost this run
        System.out.printf(java.util.Locale.ROOT, "chaos: the run with %d executors killed took %.1f s%n",
                killed.size(), disturbed.seconds());
    }

    @Test
    void oneExecutorOfTwoCoresSendsOneMessageAStepAndKeepsTheLocalRunsWeights() throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of(trainOptions()));
        // last --conf wins: one executor holds both partitions, so its two tasks share each step's weights
        options.addAll(List.of("--conf", "spark.executor.cores=2", "--profile"));
        Run run = submit(dir.resolve("one-executor"), "1g", line -> { }, options.toArray(String[]::new));
        assertEquals(0, run.status(), run.output());
        assertEquals("barrier", run.summary().get("sampler").asText(), run.output());
        assertTrue(java.util.regex.Pattern.compile("(?m)^  partial sums sent by executor \\S+: \\[0, 1\\]$")
                .matcher(run.output()).find(), run.output());
        double messages = run.summary().at("/driver_traffic_per_step/messages_received").asDouble();
        assertTrue(messages >= 1.0 && messages < 1.05, "one report a step (and one a segment to start): " + messages);
        assertEquals(localSha(), run.summary().get("weights_sha256").asText(),
                "the executor adds its partitions' sums in partition order: the local run's weights");
    }

    @Test
    void aTrainingSetLargerThanTheDriverHeapTrains() throws IOException, InterruptedException {
        // 28x28 images, 25,000 in the files, each present 28 times: 700,000 rows, 549 MB of pixels,
        // more than the driver's whole 512 MiB heap; only the executors (1 GiB each) hold them.
        Path big = IdxFixtures.writeMnistLayout(Files.createDirectories(dir.resolve("big")),
                IdxFixtures.synthetic(25_000, 28, 28, 10, 3), IdxFixtures.synthetic(500, 28, 28, 10, 4), false);
        long pixelBytes = 700_000L * 784;
        assertTrue(pixelBytes > 512L << 20);
        Run run = submit(dir.resolve("big-run"), "512m", line -> { }, "--data", big.toString(), "--partitions", "2",
                "--replicate", "28", "--steps", "20", "--seed", "1");
        assertEquals(0, run.status(), run.output());
        assertEquals(700_000, run.summary().get("train_rows").asLong(), run.output());
    }
}
