package minibatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.testing.IdxFixtures;
import minibatch.testing.StandaloneCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster (a Master and two Workers, separate JVMs on 127.0.0.1),
 * submitted through {@code submit.sh --master spark://...}: an executor killed with {@code kill -9}
 * mid-run changes nothing in the result, and a training set larger than the driver's heap trains.
 * Run alone with {@code mvn -B test -Dgroups=cluster}.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterTest {
    private static final Pattern STEP = Pattern.compile("^step (\\d+)/(\\d+)");
    private static final long RUN_TIMEOUT_MINUTES = 6;

    @TempDir
    static Path dir;
    StandaloneCluster cluster;
    Path data;

    @BeforeAll
    void startCluster() throws IOException, InterruptedException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 3000, 300, 17);
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Run(int status, String output, JsonNode summary) {
    }

    /** {@code submit.sh train} against the cluster; {@code onLine} sees each output line as it comes. */
    private Run submit(Path out, String driverMemory, Consumer<String> onLine, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "submit.sh", "train", "--master", cluster.masterUrl(),
                "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.driver.host=127.0.0.1", "--out", out.toString(), "--progress-seconds", "0.2"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(cluster.environment());
        pb.environment().remove("SPARK_HOME"); // no spark-submit there: submit.sh runs SparkSubmit from the classpath
        pb.environment().put("MINIBATCH_JAR", cluster.appJar().toString());
        pb.environment().put("MINIBATCH_CLASSPATH_FILE", cluster.classpathFile().toString());
        pb.environment().put("DRIVER_MEMORY", driverMemory);
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
        return new Run(status, output.toString(), Files.exists(summary) ? new ObjectMapper().readTree(summary.toFile()) : null);
    }

    private String[] trainOptions() {
        // relative to the driver's working directory, which executors do not share
        String relative = Path.of("").toAbsolutePath().relativize(data.toAbsolutePath()).toString();
        return new String[] {"--data", relative, "--partitions", "2", "--hidden", "8", "--batch-size", "20",
            "--learning-rate", "0.5", "--steps", "500", "--seed", "5"};
    }

    @Test
    void anExecutorKilledMidRunLeavesTheWeightsUnchanged() throws IOException, InterruptedException {
        Run undisturbed = submit(dir.resolve("undisturbed"), "1g", line -> { }, trainOptions());
        assertEquals(0, undisturbed.status(), undisturbed.output());
        assertEquals(cluster.masterUrl(), undisturbed.summary().at("/spark/conf/spark.master").asText(), undisturbed.output());

        AtomicBoolean killed = new AtomicBoolean();
        List<Long> victims = new ArrayList<>();
        Run disturbed = submit(dir.resolve("disturbed"), "1g", line -> {
            Matcher m = STEP.matcher(line);
            if (m.find() && Long.parseLong(m.group(1)) >= 150 && !killed.getAndSet(true)) {
                List<Long> executors = cluster.executorPids();
                assertEquals(2, executors.size(), "two executors running: " + executors);
                victims.add(executors.get(0));
                try {
                    assertEquals(0, new ProcessBuilder("kill", "-9", executors.get(0).toString()).start().waitFor());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, trainOptions());
        assertTrue(killed.get(), "the run ended before an executor could be killed:\n" + disturbed.output());
        assertFalse(ProcessHandle.of(victims.get(0)).map(ProcessHandle::isAlive).orElse(false), "the executor died");
        assertEquals(0, disturbed.status(), disturbed.output());
        assertTrue(disturbed.output().contains("Lost executor") || disturbed.output().contains("lost executor")
                || disturbed.output().contains("Executor lost"), "Spark noticed the lost executor:\n" + disturbed.output());
        assertEquals(undisturbed.summary().get("weights_sha256").asText(), disturbed.summary().get("weights_sha256").asText(),
                "a retried task recomputes the same sample: same weights");
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
