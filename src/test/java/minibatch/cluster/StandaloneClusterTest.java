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
 * at eight points of a run, six of them in one stretch of 1,500 steps, change nothing in the
 * result (the weights of the same command on {@code local[2]}); a Worker lost for good makes the
 * run go on with one job per step, with the same weights; a training set larger than the
 * driver's heap trains.
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
    Path longData;

    @BeforeAll
    void startCluster() throws IOException, InterruptedException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 3000, 300, 17);
        longData = IdxFixtures.syntheticMnist(dir.resolve("long-data"), 12_000, 300, 19);
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
        return new String[] {"--data", relative(data), "--partitions", "2", "--hidden", "8", "--batch-size", "20",
            "--learning-rate", "0.5", "--steps", "500", "--seed", "5"};
    }

    /** {@code path} relative to the driver's working directory, which executors do not share. */
    private static String relative(Path path) {
        return Path.of("").toAbsolutePath().relativize(path.toAbsolutePath()).toString();
    }

    /**
     * A long stretch of steps with no evaluation between them: 12,000 rows in batches of 8 make
     * 1,500 steps per epoch, so steps 1-1,500 run with no evaluation, then 1,501-1,800 after it.
     */
    private String[] longRunOptions() {
        return new String[] {"--data", relative(longData), "--partitions", "2", "--hidden", "8", "--batch-size", "8",
            "--learning-rate", "0.2", "--steps", "1800", "--seed", "11"};
    }

    /**
     * Where executors die, one {@code kill -9} each, in one run: six times in the first 1,500 steps,
     * which no evaluation interrupts (more than the four failed attempts Spark allows one stage),
     * then during the evaluation after step 1,500, and in the last segment. Each recovered failure
     * ends its segment and the next step starts another, which the driver numbers on: segment 2
     * starts at step 401, after the kills at steps 150 and 400.
     */
    private static final List<String> KILL_POINTS = List.of(
            "between_steps@150",   // partition 0 has sent step 150's sums, waits for step 151
            "mid_step@400",        // partition 0 has step 400's order, has not computed it
            "segment_start@2",     // the segment after that: its task has read its partition, before its first step
            "between_steps@700",
            "mid_step@1000",
            "between_steps@1300",
            "evaluation@1",        // the train set's evaluation after epoch 1 (step 1,500)
            "mid_step@1700");      // the last segment

    private String localSha;

    /** The same command in this JVM on {@code local[2]}: the weights every cluster run must end with. */
    private synchronized String localSha() throws IOException {
        if (localSha == null) {
            localSha = runLocal("local", trainOptions());
        }
        return localSha;
    }

    private String runLocal(String name, String... options) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--master", "local[2]", "--out", out.toString(),
                "--progress-seconds", "100"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.stderr());
        return RunSummary.weightsSha256(out);
    }

    @Test
    void executorsKilledSixTimesInOneLongStretchOfStepsAndTwiceMoreLeaveTheLocalRunsWeights()
            throws IOException, InterruptedException {
        Run disturbed;
        Map<String, Long> killed;
        try (ExecutorKiller killer = new ExecutorKiller(dir.resolve("chaos"), KILL_POINTS)) {
            List<String> options = new ArrayList<>(killer.sparkOptions());
            options.addAll(List.of(longRunOptions()));
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
        assertEquals(runLocal("local-long", longRunOptions()), disturbed.summary().get("weights_sha256").asText(),
                "retried tasks recompute the same samples: the local run's weights");
        // for the guarantees: what eight lost executors cost this run
        System.out.printf(java.util.Locale.ROOT, "chaos: the run of 1800 steps with %d executors killed took %.1f s%n",
                killed.size(), disturbed.seconds());
    }

    @Test
    void aWorkerLostForGoodMakesTheNextSegmentRunOneJobPerStepWithTheSameWeights()
            throws IOException, InterruptedException {
        // two 2-core executors, one on each Worker, for 4 partitions; partial sums per task give the
        // local[2] bits on any layout, and local[2] (two slots) runs 4 partitions as one job per step
        String[] options = {"--data", relative(data), "--partitions", "4", "--hidden", "8", "--batch-size", "20",
            "--learning-rate", "0.5", "--steps", "200", "--seed", "5", "--conf", "spark.minibatch.partialSums=task"};
        Run run;
        Map<String, Long> killed;
        try (ExecutorKiller killer = ExecutorKiller.withWorkers(dir.resolve("worker-chaos"), List.of("evaluation@1"))) {
            List<String> all = new ArrayList<>(killer.sparkOptions());
            all.addAll(List.of(options));
            all.addAll(List.of("--conf", "spark.executor.cores=2", "--conf", "spark.cores.max=4"));
            run = submit(dir.resolve("worker-lost"), "1g", line -> { }, all.toArray(String[]::new));
            killed = killer.killed();
        } finally {
            cluster.restartLostWorkers();
        }
        assertEquals(Set.of("evaluation@1"), killed.keySet(), run.output());
        assertEquals(0, run.status(), run.output());
        List<String> switches = run.output().lines().filter(l -> l.startsWith("sampler: dataframe from step")).toList();
        assertEquals(1, switches.size(), run.output());
        assertTrue(switches.get(0).startsWith("sampler: dataframe from step 151 (resident steps unavailable: the tasks of "
                + "all 4 partitions must run at once, but 2 of 2 task slots free after 30 s;"), switches.get(0));
        assertTrue(run.output().lines().anyMatch(l -> l.startsWith("sampler: barrier")), "barrier steps first:\n"
                + run.output());
        assertEquals("dataframe", run.summary().get("sampler").asText(), "the steps the run ended with");
        List<String> reference = new ArrayList<>(List.of(options));
        reference.addAll(List.of("--sampler", "dataframe"));
        assertEquals(runLocal("local-4", reference.toArray(String[]::new)), run.summary().get("weights_sha256").asText(),
                "the barrier steps and one job per step give the same bits");
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
