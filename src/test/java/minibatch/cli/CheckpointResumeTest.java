package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import minibatch.testing.CliArgs;
import minibatch.testing.DriverJvm;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import minibatch.training.checkpoint.Checkpoint;
import minibatch.training.checkpoint.CheckpointStore;
import minibatch.training.checkpoint.TrainingState;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver killed with SIGKILL mid-run, then resumed, ends with the same weights as a run that was
 * never interrupted; damaged checkpoints are skipped.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointResumeTest {
    private static final int STEPS = 400;

    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    void writeData(SparkSession spark) throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 500, 40, 6);
    }

    /** Adam and dropout, so optimizer state and the dropout seeds must be restored exactly too. */
    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(CliArgs.merged(List.of("--data", data.toString(), "--out", out.toString(),
                "--master", "local[2]", "--hidden", "12", "--classes", "4", "--batch-size", "25", "--steps",
                Integer.toString(STEPS), "--seed", "5", "--optimizer", "adam", "--learning-rate", "0.01", "--dropout",
                "0.2", "--partitions", "2", "--progress-seconds", "60"), extra)));
        return a;
    }

    private record Run(int status, String stderr) {
    }

    /** Runs in this JVM; stderr holds both the error line and warnings printed to System.err. */
    private static Run run(List<String> args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream saved = System.err;
        System.setErr(stream);
        try {
            int status = Main.execute(stream, args.toArray(String[]::new));
            return new Run(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static List<Path> checkpoints(Path run) throws IOException {
        Path folder = run.resolve("checkpoints");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{9}")).sorted().toList();
        }
    }

    @Test
    void killedDriverResumesToTheSameWeights() throws Exception {
        Path straight = dir.resolve("straight");
        assertEquals(0, run(args(straight)).status());

        Path killed = dir.resolve("killed");
        Process driver = DriverJvm.start(args(killed, "--checkpoint-every", "25"), dir.resolve("killed-driver.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (checkpoints(killed).size() < 2 || lastStep(killed) < 100) {
                assertTrue(driver.isAlive(), "the driver ended before it could be killed: "
                        + Files.readString(dir.resolve("killed-driver.log")));
                assertTrue(System.nanoTime() < deadline, "no checkpoint after 120 s");
                Thread.sleep(20);
            }
        } finally {
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(killed.resolve("summary.json")), "a killed run must not look finished");
        long killedAt = lastStep(killed);
        assertTrue(killedAt < STEPS, "killed at " + killedAt);

        // damage the newest checkpoint: resume must skip it and use the one before
        List<Path> cps = checkpoints(killed);
        Path newest = cps.get(cps.size() - 1);
        byte[] arrays = Files.readAllBytes(newest.resolve("arrays.bin"));
        arrays[arrays.length / 2] ^= 0x40;
        Files.write(newest.resolve("arrays.bin"), arrays);
        Files.deleteIfExists(newest.resolve(".arrays.bin.crc"));

        Run resumed = run(args(killed, "--checkpoint-every", "25", "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        assertTrue(resumed.stderr().contains("warning: skipping checkpoint") && resumed.stderr().contains("SHA-256"),
                resumed.stderr());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(killed));
        assertFalse(Files.exists(killed.resolve("checkpoints")), "a finished run keeps no checkpoints");
        assertEquals(STEPS + 1, Files.readAllLines(killed.resolve("steps.csv")).size());
    }

    @Test
    void ctrlCStopsAfterTheCurrentStepWritesACheckpointAndResumesExactly() throws Exception {
        Path straight = dir.resolve("straight-for-sigint");
        assertEquals(0, run(args(straight)).status());

        Path interrupted = dir.resolve("sigint");
        Path log = dir.resolve("sigint-driver.log");
        Process driver = DriverJvm.start(args(interrupted, "--progress-seconds", "0.2"), log);
        int status;
        String signal;
        try {
            // Where SIGINT reaches the driver ignored (a background job of a script, without a way to
            // reset it), Ctrl-C cannot reach it either; SIGTERM takes the same path.
            signal = DriverJvm.ignores(driver, DriverJvm.SIGINT) ? "TERM" : "INT";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("step ")) { // a progress line: training has started
                assertTrue(driver.isAlive(), "the driver ended early: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no progress after 120 s");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-" + signal, Long.toString(driver.pid())).start().waitFor();
            assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "the driver did not stop after SIG" + signal);
            status = driver.exitValue();
        } finally {
            driver.destroyForcibly();
        }
        String text = Files.readString(log);
        assertEquals(TrainCommand.STOPPED, status, text);
        assertTrue(text.contains("SIG" + signal + ": stopped after step ") && text.contains("Continue with the same command and --resume."),
                text);
        assertFalse(Files.exists(interrupted.resolve("summary.json")));
        assertEquals(1, checkpoints(interrupted).size());

        Run resumed = run(args(interrupted, "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(interrupted));
    }

    @Test
    void aStopRequestInProcessEndsWithStatus130AndAResumableCheckpoint() throws IOException {
        Path straight = dir.resolve("straight-for-stop");
        assertEquals(0, run(args(straight, "--optimizer", "momentum", "--learning-rate", "0.05")).status());
        Path stopped = dir.resolve("stopped");
        TrainCommand command = new TrainCommand();
        command.stop.request("test");
        List<String> a = args(stopped, "--optimizer", "momentum", "--learning-rate", "0.05");
        int status = new picocli.CommandLine(command).execute(a.subList(1, a.size()).toArray(String[]::new));
        assertEquals(TrainCommand.STOPPED, status);
        assertEquals(List.of(stopped.resolve("checkpoints/step-000000001")), checkpoints(stopped));
        assertEquals(0, run(args(stopped, "--optimizer", "momentum", "--learning-rate", "0.05", "--resume")).status());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(stopped));
    }

    private static long lastStep(Path run) throws IOException {
        List<Path> cps = checkpoints(run);
        return cps.isEmpty() ? 0 : Long.parseLong(cps.get(cps.size() - 1).getFileName().toString().substring(5));
    }

    @Test
    void resumeRefusesAFinishedRunMissingOrDamagedCheckpointsAndOtherSettings() throws IOException {
        Path finished = dir.resolve("finished");
        assertEquals(0, run(args(finished, "--checkpoint-every", "100")).status());
        assertTrue(Files.exists(finished.resolve("summary.json")));
        Run again = run(args(finished, "--resume"));
        assertEquals(2, again.status());
        assertTrue(again.stderr().contains("holds a finished run; nothing to resume"), again.stderr());

        Run none = run(args(dir.resolve("never-started"), "--resume"));
        assertEquals(2, none.status());
        assertTrue(none.stderr().contains("holds no checkpoints of an unfinished run to resume"), none.stderr());

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged.resolve("checkpoints/step-000000100"));
        Files.writeString(damaged.resolve("checkpoints/step-000000100/checkpoint.json"), "{\"format\": \"other\"}");
        Run bad = run(args(damaged, "--resume"));
        assertEquals(2, bad.status());
        assertTrue(bad.stderr().contains("warning: skipping checkpoint") && bad.stderr().contains("no intact checkpoint"),
                bad.stderr());
        Run fresh = run(args(damaged));
        assertEquals(2, fresh.status());
        assertTrue(fresh.stderr().contains("holds the checkpoints of an unfinished run (use --resume"), fresh.stderr());

        Path other = dir.resolve("other-settings");
        var store = new CheckpointStore(new org.apache.hadoop.fs.Path(other.toUri()),
                new org.apache.hadoop.conf.Configuration());
        store.write(new Checkpoint("data=elsewhere", new TrainingState(50,
                new double[] {1, 2}, List.of(), 0, 0, 0.5, 50, 10, 1, List.of(), List.of(), null, null, 0)));
        Run mismatch = run(args(other, "--resume"));
        assertEquals(2, mismatch.status());
        assertTrue(mismatch.stderr().contains("was written with other settings (data=elsewhere)"), mismatch.stderr());

        // a checkpoint of the previous format (RDD.sample's batches) is refused with one line, not skipped
        Path json = other.resolve("checkpoints/step-000000050/checkpoint.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"format_version\" : \\d+", "\"format_version\" : 1"));
        Files.deleteIfExists(json.resolveSibling(".checkpoint.json.crc")); // Hadoop's local checksum of the old bytes
        Run old = run(args(other, "--resume"));
        assertEquals(2, old.status());
        assertTrue(old.stderr().contains("is a version 1 checkpoint of an older spark-minibatch"), old.stderr());
        assertEquals(1, old.stderr().lines().filter(l -> l.startsWith("error:")).count(), old.stderr());
        assertFalse(old.stderr().contains("\tat "), "no stack trace: " + old.stderr());
    }
}
