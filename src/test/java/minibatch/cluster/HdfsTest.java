package minibatch.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import minibatch.cli.Main;
import minibatch.testing.CliArgs;
import minibatch.testing.CliRun;
import minibatch.testing.DriverJvm;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.MiniHdfs;
import minibatch.testing.RunSummary;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
 * The job with its data and its runs on a real HDFS (a MiniDFSCluster in this JVM): IDX raw and gzip,
 * a Parquet copy made by {@code convert} there, checkpoints there and a killed driver resumed from them,
 * {@code evaluate} and {@code predict} on HDFS paths; each gives what the same command on local files
 * gives. And the user's mistakes on HDFS: a missing file, a file the user may not read, an {@code --out}
 * that holds a finished run. Run alone with {@code mvn -B test -Dgroups=hdfs}.
 */
@Tag("hdfs")
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HdfsTest {
    private static final int STEPS = 300;

    @TempDir
    static Path dir;
    MiniHdfs hdfs;
    Path localData;
    String hdfsRaw;
    String hdfsGzip;
    String localRunSha;

    @BeforeAll
    void startHdfsAndTrainLocally(SparkSession spark) throws IOException {
        hdfs = MiniHdfs.start(dir.resolve("hdfs"));
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(560, 8, 8, 4, 21);
        int w = 64;
        IdxFixtures.ImageSet train = new IdxFixtures.ImageSet(8, 8, Arrays.copyOfRange(all.pixels(), 0, 500 * w),
                Arrays.copyOfRange(all.labels(), 0, 500));
        IdxFixtures.ImageSet test = new IdxFixtures.ImageSet(8, 8, Arrays.copyOfRange(all.pixels(), 500 * w, 560 * w),
                Arrays.copyOfRange(all.labels(), 500, 560));
        localData = IdxFixtures.writeMnistLayout(dir.resolve("raw"), train, test, false);
        hdfsRaw = hdfs.copyFolder(localData, "/data/raw");
        hdfsGzip = hdfs.copyFolder(IdxFixtures.writeMnistLayout(dir.resolve("gzip"), train, test, true), "/data/gzip");
        Path localRun = dir.resolve("local-run");
        assertEquals(0, Main.execute(System.err, train(localData.toString(), localRun.toString())));
        localRunSha = RunSummary.weightsSha256(localRun);
    }

    @AfterAll
    void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** Adam and dropout, so a resumed run must restore optimizer state and dropout seeds from HDFS too. */
    private static String[] train(String data, String out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(CliArgs.merged(List.of("--data", data, "--out", out, "--master", "local[2]", "--hidden", "12",
                "--classes", "4", "--batch-size", "25", "--steps", Integer.toString(STEPS), "--seed", "5", "--optimizer",
                "adam", "--learning-rate", "0.01", "--dropout", "0.2", "--partitions", "2", "--progress-seconds", "60"),
                extra)));
        return a.toArray(String[]::new);
    }

    private String hdfsSha(String run) throws IOException {
        return hdfs.json(run + "/summary.json").get("weights_sha256").asText();
    }

    @Test
    void idxRawGzipAndAParquetCopyOnHdfsTrainToTheLocalRunsWeights() throws IOException {
        String raw = hdfs.url("/runs/raw");
        CliRun run = CliRun.of(train(hdfsRaw, raw));
        assertEquals(0, run.status(), run.stderr());
        assertEquals(localRunSha, hdfsSha("/runs/raw"), "IDX on HDFS: the local run's weights");
        assertTrue(hdfs.exists("/runs/raw/model/data/model.json") && hdfs.exists("/runs/raw/steps.csv") && hdfs.exists("/runs/raw/report.html"),
                "the run folder is on HDFS");

        assertEquals(0, CliRun.of(train(hdfsGzip, hdfs.url("/runs/gzip"))).status());
        assertEquals(localRunSha, hdfsSha("/runs/gzip"), "gzip IDX on HDFS");

        String parquet = hdfs.url("/data/parquet");
        CliRun convert = CliRun.of("convert", "--data", hdfsRaw, "--to", "parquet", "--out", parquet, "--partitions", "2",
                "--master", "local[2]");
        assertEquals(0, convert.status(), convert.stderr());
        assertTrue(hdfs.exists("/data/parquet/train.parquet") && hdfs.exists("/data/parquet/test.parquet"));
        assertEquals(0, CliRun.of(train(parquet, hdfs.url("/runs/parquet"))).status());
        assertEquals(localRunSha, hdfsSha("/runs/parquet"), "the Parquet copy convert wrote to HDFS");
    }

    @Test
    void evaluateAndPredictOnHdfsGiveTheLocalResults(SparkSession spark) throws IOException {
        String run = hdfs.url("/runs/for-predict");
        assertEquals(0, CliRun.of(train(hdfsRaw, run)).status());
        Path localRun = dir.resolve("local-run");

        CliRun local = CliRun.of("evaluate", "--model", localRun.toString(), "--data", localData.toString(), "--master", "local[2]");
        CliRun remote = CliRun.of("evaluate", "--model", run, "--data", hdfsRaw, "--master", "local[2]");
        assertEquals(0, remote.status(), remote.stderr());
        assertEquals(local.stdout().lines().filter(l -> l.contains("accuracy")).toList(),
                remote.stdout().lines().filter(l -> l.contains("accuracy")).toList(), remote.stdout());
        assertTrue(remote.stdout().contains("accuracy"), remote.stdout());

        Path localPreds = dir.resolve("local-preds");
        String hdfsPreds = hdfs.url("/preds");
        assertEquals(0, CliRun.of("predict", "--model", localRun.toString(), "--data", localData.toString(), "--output",
                localPreds.toString(), "--master", "local[2]").status());
        CliRun predict = CliRun.of("predict", "--model", run, "--data", hdfsRaw, "--output", hdfsPreds, "--master", "local[2]");
        assertEquals(0, predict.status(), predict.stderr());
        Dataset<Row> a = spark.read().parquet(localPreds.toString());
        Dataset<Row> b = spark.read().parquet(hdfsPreds);
        assertEquals(60, b.count());
        assertEquals(a.collectAsList(), b.collectAsList(), "the same predictions, in the same order");
    }

    private List<Long> checkpointSteps(String run) throws IOException {
        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(run + "/checkpoints");
        List<Long> steps = new ArrayList<>();
        if (hdfs.fs().exists(folder)) {
            FileStatus[] listing;
            try {
                listing = hdfs.fs().listStatus(folder);
            } catch (java.io.FileNotFoundException finished) { // a finished run deletes the folder
                return List.of();
            }
            for (FileStatus s : listing) {
                String name = s.getPath().getName();
                if (name.matches("step-\\d{9}")) {
                    steps.add(Long.parseLong(name.substring(5)));
                }
            }
        }
        return steps.stream().sorted().toList();
    }

    @Test
    void aDriverKilledMidRunResumesFromItsHdfsCheckpointsToTheSameWeights() throws Exception {
        String run = hdfs.url("/runs/killed");
        Path log = dir.resolve("killed-driver.log");
        Process driver = DriverJvm.start(List.of(train(hdfsRaw, run, "--checkpoint-every", "25")), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // one listing per look: older checkpoints are deleted as newer ones are written
            for (List<Long> steps = checkpointSteps("/runs/killed"); steps.size() < 2 || steps.get(steps.size() - 1) < 100;
                    steps = checkpointSteps("/runs/killed")) {
                assertTrue(driver.isAlive(), "the driver ended before it could be killed: " + java.nio.file.Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no checkpoint after 120 s");
                Thread.sleep(20);
            }
        } finally {
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(hdfs.exists("/runs/killed/summary.json"), "a killed run must not look finished");
        List<Long> left = checkpointSteps("/runs/killed");
        assertTrue(left.get(left.size() - 1) < STEPS, "killed at " + left);

        CliRun resumed = CliRun.of(train(hdfsRaw, run, "--checkpoint-every", "25", "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        assertEquals(localRunSha, hdfsSha("/runs/killed"), "resumed from HDFS: the uninterrupted run's weights");
        assertFalse(hdfs.exists("/runs/killed/checkpoints"), "a finished run keeps no checkpoints");
    }

    @Test
    void mistakesOnHdfsAreOneLine() throws Exception {
        String missing = hdfs.url("/data/nowhere");
        CliRun none = CliRun.of(train(missing, hdfs.url("/runs/never")));
        none.assertOneError("error: --data " + missing + ": not found");
        assertFalse(hdfs.exists("/runs/never"), "nothing written for a failed start");

        // a folder only its owner may read; HDFS checks permissions for everyone but its superuser
        hdfs.fs().mkdirs(new org.apache.hadoop.fs.Path("/private"));
        String secret = hdfs.copyFolder(localData, "/private/data");
        hdfs.fs().setPermission(new org.apache.hadoop.fs.Path("/private"), new FsPermission((short) 0700));
        hdfs.fs().mkdirs(new org.apache.hadoop.fs.Path("/home/alice"));
        hdfs.fs().setOwner(new org.apache.hadoop.fs.Path("/home/alice"), "alice", "alice");
        UserGroupInformation alice = UserGroupInformation.createUserForTesting("alice", new String[] {"alice"});
        CliRun denied = alice.doAs((PrivilegedExceptionAction<CliRun>) () ->
                CliRun.of(train(secret, hdfs.url("/home/alice/run"))));
        assertEquals(2, denied.status(), denied.stderr());
        assertEquals(1, denied.stderr().lines().count(), denied.stderr());
        assertTrue(denied.stderr().startsWith("error: --data " + secret + ": ") && denied.stderr().contains("ermission denied"),
                denied.stderr());
        assertFalse(hdfs.exists("/home/alice/run"), "nothing written");

        String finished = hdfs.url("/runs/finished");
        assertEquals(0, CliRun.of(train(hdfsRaw, finished, "--steps", "20")).status());
        CliRun again = CliRun.of(train(hdfsRaw, finished, "--steps", "20"));
        again.assertOneError("error: --out " + finished + ": holds a finished run (use --overwrite to replace it)");
    }
}
