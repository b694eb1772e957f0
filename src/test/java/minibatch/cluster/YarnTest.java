package minibatch.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import minibatch.testing.CliRun;
import minibatch.testing.ExecutorKiller;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.MiniHdfs;
import minibatch.testing.MiniYarn;
import minibatch.testing.RunSummary;
import minibatch.testing.SparkHome;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on a real YARN (a MiniYARNCluster over a MiniDFSCluster, in this JVM; the application
 * master, the executors and a cluster-mode driver are containers, separate JVMs), submitted as a user
 * submits it: {@code submit.sh train --master yarn} through a Spark installation's {@code spark-submit}
 * (an assembled {@code SPARK_HOME} with Spark's YARN module), data and runs on HDFS. Client and cluster
 * deploy mode: the per-step reference path in client mode, and in cluster mode the resident steps with
 * an executor container's JVM killed mid-step, both end with the weights of the same command on
 * {@code local[2]}; a driver that fails in cluster mode fails the submission, with the driver's error
 * line in its output. Run alone with {@code mvn -B test -Dgroups=yarn}.
 */
@Tag("yarn")
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YarnTest {
    private static final long RUN_TIMEOUT_MINUTES = 6;

    @TempDir
    static Path dir;
    MiniHdfs hdfs;
    MiniYarn yarn;
    Path sparkHome;
    Path appJar;
    String data;
    String localSha;

    @BeforeAll
    void startClusters(SparkSession spark) throws IOException, InterruptedException {
        hdfs = MiniHdfs.start(dir.resolve("hdfs"));
        yarn = MiniYarn.start(dir.resolve("yarn"), hdfs);
        sparkHome = SparkHome.assemble(dir.resolve("spark"));
        appJar = SparkHome.appJar(dir.resolve("spark-minibatch.jar"));
        Path local = IdxFixtures.syntheticMnist(dir.resolve("data"), 1000, 100, 8);
        data = hdfs.copyFolder(local, "/data/mnist");
        Path localRun = dir.resolve("local-run");
        List<String> args = new ArrayList<>(List.of("train", "--master", "local[2]", "--out", localRun.toString()));
        args.addAll(trainOptions(local.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.stderr());
        localSha = RunSummary.weightsSha256(localRun);
    }

    @AfterAll
    void stopClusters() {
        if (yarn != null) {
            yarn.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** 1000 rows in batches of 20: 50 steps an epoch, so 120 steps run three segments (1-50, 51-100, 101-120). */
    private static List<String> trainOptions(String data) {
        return List.of("--data", data, "--partitions", "2", "--hidden", "8", "--batch-size", "20", "--learning-rate", "0.5",
                "--steps", "120", "--seed", "5", "--progress-seconds", "100");
    }

    private record Run(int status, String output) {
    }

    /** {@code submit.sh train --master yarn --deploy-mode MODE --out OUT extra...} with this cluster's configuration. */
    private Run submit(String mode, String out, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "submit.sh", "train", "--master", "yarn", "--deploy-mode", mode,
                // the installation's own jars on every container (same machine), instead of uploading them
                "--conf", "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*",
                "--conf", "spark.executor.instances=2", "--conf", "spark.executor.cores=1",
                "--conf", "spark.executor.memory=768m", "--conf", "spark.yarn.am.memory=512m",
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + System.getProperty("java.home"),
                "--conf", "spark.executorEnv.JAVA_HOME=" + System.getProperty("java.home"),
                "--conf", "spark.yarn.maxAppAttempts=1", "--out", out));
        command.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("HADOOP_CONF_DIR", yarn.confDir().toString());
        pb.environment().put("MINIBATCH_JAR", appJar.toString());
        pb.environment().put("MVN", dir.resolve("no-maven-here").toString());
        pb.environment().put("DRIVER_MEMORY", "1g");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        // kept for a failed run's diagnosis (the temporary folder goes away)
        Path log = Files.createDirectories(Path.of("target", "yarn-logs")).resolve(out.substring(out.lastIndexOf('/') + 1) + ".log");
        Thread copy = new Thread(() -> {
            try {
                Files.copy(p.getInputStream(), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        copy.start();
        if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        copy.join(10_000);
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private String hdfsSha(String run) throws IOException {
        return hdfs.json(run + "/summary.json").get("weights_sha256").asText();
    }

    @Test
    void clientModeOnThePerStepReferencePathGivesTheLocalWeights() throws Exception {
        List<String> reference = new ArrayList<>(trainOptions(data));
        reference.addAll(List.of("--sampler", "dataframe"));
        Run perStep = submit("client", hdfs.url("/runs/reference"), reference);
        assertEquals(0, perStep.status(), perStep.output());
        assertEquals("yarn", hdfs.json("/runs/reference/summary.json").at("/spark/conf/spark.master").asText());
        assertEquals("dataframe", hdfs.json("/runs/reference/summary.json").get("sampler").asText());
        assertEquals(localSha, hdfsSha("/runs/reference"), "Dataset.sample every step: the local run's weights");
    }

    /** Cluster mode (the driver in the application master's container) with the resident steps; one executor container's JVM killed mid-step. */
    @Test
    void clusterModeResidentStepsWithAnExecutorContainerKilledGiveTheLocalWeights() throws Exception {
        Run disturbed;
        Map<String, Long> killed;
        try (ExecutorKiller killer = new ExecutorKiller(dir.resolve("chaos"), List.of("mid_step@70"))) {
            List<String> options = new ArrayList<>(killer.sparkOptions());
            options.addAll(trainOptions(data));
            disturbed = submit("cluster", hdfs.url("/runs/killed"), options);
            killed = killer.killed();
        }
        assertEquals(List.of("mid_step@70"), List.copyOf(killed.keySet()), disturbed.output());
        assertFalse(ProcessHandle.of(killed.get("mid_step@70")).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(0, disturbed.status(), disturbed.output());
        assertEquals("barrier", hdfs.json("/runs/killed/summary.json").get("sampler").asText(), "resident steps on YARN");
        assertEquals("cluster", hdfs.json("/runs/killed/summary.json").at("/spark/conf/spark.submit.deployMode").asText());
        assertEquals(localSha, hdfsSha("/runs/killed"), "the retried stage recomputes the same samples: the local run's weights");
    }

    @Test
    void aDriverThatFailsInClusterModeFailsTheSubmission() throws Exception {
        Run failed = submit("cluster", hdfs.url("/runs/failed"), trainOptions(hdfs.url("/data/nowhere")));
        assertEquals(1, failed.status(), "spark-submit fails as YARN reports the application failed:\n" + failed.output());
        // the driver's one error line comes back as the application's diagnostics
        assertTrue(failed.output().contains("error: --data " + hdfs.url("/data/nowhere") + ": not found (driver exit status 2)"),
                failed.output());
        assertFalse(hdfs.exists("/runs/failed"), "nothing written");
    }
}
