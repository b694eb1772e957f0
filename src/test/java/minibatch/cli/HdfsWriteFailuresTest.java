package minibatch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import minibatch.testing.CliArgs;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.MiniHdfs;
import minibatch.testing.RunSummary;
import minibatch.training.checkpoint.CheckpointStore;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.apache.hadoop.security.UserGroupInformation;
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
 * Writes that the file system refuses, on a real HDFS (a MiniDFSCluster in this JVM), where a full
 * quota and a missing permission hold for every user but HDFS's superuser: each ends the run with one
 * {@code error:} line naming the path and the cause, exit status 2, and the last good checkpoint
 * intact (a resume continues from it once there is room). Run alone with {@code mvn -B test -Dgroups=hdfs}.
 */
@Tag("hdfs")
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HdfsWriteFailuresTest {
    @TempDir
    static Path dir;
    MiniHdfs hdfs;
    String data;

    @BeforeAll
    void startHdfs() throws IOException {
        hdfs = MiniHdfs.start(dir.resolve("hdfs"));
        data = hdfs.copyFolder(IdxFixtures.syntheticMnist(dir.resolve("idx"), 200, 40, 7), "/data/idx");
    }

    @AfterAll
    void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    private static String[] train(String data, String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(CliArgs.merged(List.of("--data", data, "--out", out, "--master", "local[2]", "--hidden", "6",
                "--classes", "4", "--batch-size", "20", "--learning-rate", "0.5", "--steps", "30", "--seed", "3",
                "--partitions", "2", "--progress-seconds", "100"), extra)));
        return args.toArray(String[]::new);
    }

    @Test
    void aFullQuotaEndsTheRunWithOneLineAndKeepsTheLastCheckpoint() throws Exception {
        String run = hdfs.url("/quota/run");
        String[] args = train(data, run, "--checkpoint-every", "1");
        // the first checkpoint, then the run stops (as on Ctrl-C)
        assertEquals(TrainCommand.STOPPED, OverwriteKeepsDataTest.stoppedAfterOneStep(args));
        var folder = new org.apache.hadoop.fs.Path("/quota/run");
        DistributedFileSystem dfs = (DistributedFileSystem) hdfs.fs();
        dfs.setQuota(folder, HdfsConstants.QUOTA_DONT_SET, 1024); // below what is there: no block fits any more
        CliRun full = CliRun.of(resume(args));
        assertEquals(2, full.status(), full.stderr());
        assertEquals(1, full.stderr().lines().count(), full.stderr());
        assertTrue(full.stderr().startsWith("error: writing the checkpoint at step 2 to " + run + "/checkpoints failed: ")
                && full.stderr().contains("quota"), full.stderr());
        var store = new CheckpointStore(new org.apache.hadoop.fs.Path(run), hdfs.configuration());
        assertEquals(1, store.latest(System.err).state().step(), "the last good checkpoint");

        dfs.setQuota(folder, HdfsConstants.QUOTA_DONT_SET, HdfsConstants.QUOTA_RESET);
        CliRun resumed = CliRun.of(resume(args));
        assertEquals(0, resumed.status(), resumed.stderr());
        Path straight = dir.resolve("straight");
        assertEquals(0, CliRun.of(train(data, straight.toString())).status());
        assertEquals(RunSummary.weightsSha256(straight), hdfs.json("/quota/run/summary.json").get("weights_sha256").asText());
    }

    private static String[] resume(String[] args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add("--resume");
        return a.toArray(String[]::new);
    }

    @Test
    void outputsTheUserMayNotWriteAreOneLineAndTheCheckpointsStay() throws Exception {
        // alice's own run folder in a shared folder she may not write: the outputs are staged beside it
        var shared = new org.apache.hadoop.fs.Path("/shared");
        var mine = new org.apache.hadoop.fs.Path("/shared/alice-run");
        hdfs.fs().mkdirs(mine);
        hdfs.fs().setPermission(shared, new FsPermission((short) 0755));
        hdfs.fs().setOwner(mine, "alice", "alice");
        String run = hdfs.url("/shared/alice-run");
        UserGroupInformation alice = UserGroupInformation.createUserForTesting("alice", new String[] {"alice"});
        CliRun denied = alice.doAs((PrivilegedExceptionAction<CliRun>) () ->
                CliRun.of(train(data, run, "--checkpoint-every", "10")));
        assertEquals(2, denied.status(), denied.stderr());
        assertEquals(1, denied.stderr().lines().count(), denied.stderr());
        assertTrue(denied.stderr().startsWith("error: writing the run's outputs to " + run + " failed: ")
                && denied.stderr().contains("ermission denied"), denied.stderr());
        assertTrue(hdfs.exists("/shared/alice-run/checkpoints/step-000000020"), "the last checkpoint stays");
        assertFalse(hdfs.exists("/shared/alice-run/summary.json"));
    }
}
