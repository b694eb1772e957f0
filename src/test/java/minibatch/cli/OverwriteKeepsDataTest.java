package minibatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import minibatch.testing.CliArgs;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --overwrite} replaces a finished run only when the new run finishes: a bad row or a
 * diverging learning rate found later leaves every file of the old run as it was, and a stopped
 * overwriting run is what {@code --resume} continues. An unfinished run's old checkpoints give way
 * to the new run's first one, whatever their steps. {@code convert} and {@code predict} replace only
 * their own output, {@code export} only a file, and no command its input; a checkpoint the file
 * system refuses is one line.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverwriteKeepsDataTest {
    @TempDir
    static Path dir;
    Path idx;

    @BeforeAll
    void writeData() throws IOException {
        idx = IdxFixtures.syntheticMnist(dir.resolve("idx"), 200, 40, 7);
    }

    /** A small run of {@code data} into {@code out}; {@code extra} replaces or adds options. */
    static String[] train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(CliArgs.merged(List.of("--data", data.toString(), "--out", out.toString(), "--master",
                "local[2]", "--hidden", "6", "--classes", "4", "--batch-size", "20", "--learning-rate", "0.5", "--steps",
                "30", "--seed", "3", "--partitions", "2", "--progress-seconds", "100"), extra)));
        return args.toArray(String[]::new);
    }

    /** Every regular file under {@code folder}, by relative path, with its bytes. */
    static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    /** The relative paths of {@code folder}'s files, sorted, with the UUIDs in Spark's part-file names blanked. */
    static List<String> shape(Path folder) throws IOException {
        return files(folder).keySet().stream()
                .map(name -> name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"))
                .sorted().toList();
    }

    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    /** {@code IDX} images as Kaggle CSV files train.csv and test.csv in {@code folder}. */
    static Path csvData(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (var set : Map.of("train", IdxFixtures.synthetic(200, 8, 8, 4, 17), "test",
                IdxFixtures.synthetic(40, 8, 8, 4, 18)).entrySet()) {
            StringBuilder csv = new StringBuilder("label");
            for (int p = 0; p < 64; p++) {
                csv.append(",pixel").append(p);
            }
            csv.append('\n');
            for (int r = 0; r < set.getValue().labels().length; r++) {
                csv.append(set.getValue().labels()[r]);
                for (int p = 0; p < 64; p++) {
                    csv.append(',').append(set.getValue().pixels()[r * 64 + p] & 0xff);
                }
                csv.append('\n');
            }
            Files.writeString(folder.resolve(set.getKey() + ".csv"), csv);
        }
        return folder;
    }

    /** Puts {@code 999} in a pixel column of the 100th training row. */
    static void spoilOneRow(Path data) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("train.csv")));
        String[] fields = lines.get(100).split(",");
        fields[5] = "999";
        lines.set(100, String.join(",", fields));
        Files.write(data.resolve("train.csv"), lines);
    }

    /** {@code args} (a train command line) with {@code extra} replacing or adding options. */
    static String[] with(String[] args, String... extra) {
        List<String> merged = new ArrayList<>(List.of("train"));
        merged.addAll(List.of(CliArgs.merged(List.of(args).subList(1, args.length), extra)));
        return merged.toArray(String[]::new);
    }

    /** A run stopped by a stop request after its first step (it writes a checkpoint); returns its status. */
    static int stoppedAfterOneStep(String... args) {
        TrainCommand command = new TrainCommand();
        command.stop.request("test");
        return new CommandLine(command).execute(Arrays.copyOfRange(args, 1, args.length));
    }

    static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void aBadRowFoundWithOverwriteLeavesTheFinishedRunByteForByte() throws IOException {
        Path data = csvData(dir.resolve("csv"));
        Path out = dir.resolve("bad-row-run");
        assertEquals(0, CliRun.of(train(data, out)).status());
        Map<String, byte[]> before = files(out);
        spoilOneRow(data);
        CliRun again = CliRun.of(train(data, out, "--overwrite"));
        assertEquals(2, again.status(), again.stderr());
        assertEquals(1, again.stderr().lines().count(), again.stderr());
        assertTrue(again.stderr().startsWith("error: ") && again.stderr().contains("train.csv")
                && again.stderr().contains("999"), again.stderr());
        assertSameFiles(before, files(out));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".bad-row-run")), "nothing left beside");
        }
    }

    @Test
    void aDivergingLearningRateWithOverwriteLeavesTheFinishedRunByteForByte() throws IOException {
        Path out = dir.resolve("diverging");
        assertEquals(0, CliRun.of(train(idx, out)).status());
        Map<String, byte[]> before = files(out);
        CliRun diverged = CliRun.of(train(idx, out, "--learning-rate", "1e300", "--activation", "relu", "--init", "he",
                "--overwrite"));
        assertEquals(2, diverged.status(), diverged.stderr());
        assertTrue(diverged.stderr().startsWith("error: training diverged at step "), diverged.stderr());
        assertSameFiles(before, files(out));
    }

    @Test
    void anOverwritingRunThatFinishesReplacesTheOldRun() throws IOException {
        Path out = dir.resolve("replaced");
        Path fresh = dir.resolve("fresh-seed-4");
        assertEquals(0, CliRun.of(train(idx, out)).status());
        assertEquals(0, CliRun.of(train(idx, fresh, "--seed", "4")).status());
        String old = RunSummary.weightsSha256(out);
        CliRun overwrite = CliRun.of(train(idx, out, "--seed", "4", "--overwrite"));
        assertEquals(0, overwrite.status(), overwrite.stderr());
        assertNotEquals(old, RunSummary.weightsSha256(out));
        assertEquals(RunSummary.weightsSha256(fresh), RunSummary.weightsSha256(out), "the new run's weights");
        assertEquals(shape(fresh), shape(out), "the new run's files, none of the old one's besides");
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".replaced")), "no staging or old copy left");
        }
    }

    /** The case: an old unfinished run stopped later than the new one must not be what --resume finds. */
    @Test
    void afterAnOverwriteOfAnUnfinishedRunResumeContinuesTheNewRun() throws IOException {
        Path out = dir.resolve("unfinished");
        String[] old = train(idx, out, "--learning-rate", "0.5");
        assertEquals(TrainCommand.STOPPED, stoppedAfterOneStep(old));
        assertEquals(TrainCommand.STOPPED, stoppedAfterOneStep(with(old, "--resume")));
        assertEquals(List.of("step-000000001", "step-000000002"), checkpoints(out));

        String[] other = train(idx, out, "--learning-rate", "0.2", "--overwrite");
        assertEquals(TrainCommand.STOPPED, stoppedAfterOneStep(other));
        assertEquals(List.of("step-000000001"), checkpoints(out), "the old run's later checkpoint is gone");
        CliRun resumed = CliRun.of(with(other, "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        Path straight = dir.resolve("unfinished-straight");
        assertEquals(0, CliRun.of(train(idx, straight, "--learning-rate", "0.2")).status());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(out));
        assertFalse(Files.exists(out.resolve("checkpoints")));
    }

    @Test
    void aStoppedOverwriteOfAFinishedRunKeepsItUntilTheResumedRunFinishes() throws IOException {
        Path out = dir.resolve("finished-then-stopped");
        assertEquals(0, CliRun.of(train(idx, out)).status());
        Map<String, byte[]> before = files(out);
        String[] other = train(idx, out, "--learning-rate", "0.2", "--overwrite");
        assertEquals(TrainCommand.STOPPED, stoppedAfterOneStep(other));
        Map<String, byte[]> now = files(out);
        now.keySet().removeIf(name -> name.startsWith("checkpoints/"));
        assertSameFiles(before, now);
        assertEquals(List.of("step-000000001"), checkpoints(out));

        CliRun plain = CliRun.of(train(idx, out, "--learning-rate", "0.2"));
        plain.assertOneError("error: --out " + out + ": holds a finished run and the checkpoints of an unfinished run "
                + "that is to replace it (use --resume to continue that run, or --overwrite to start again)");
        CliRun resumed = CliRun.of(train(idx, out, "--learning-rate", "0.2", "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        Path straight = dir.resolve("finished-straight");
        assertEquals(0, CliRun.of(train(idx, straight, "--learning-rate", "0.2")).status());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(out));
        assertFalse(Files.exists(out.resolve("checkpoints")));
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsOneLineAndTheFinishedRunStays() throws IOException {
        Path out = dir.resolve("checkpoints-a-file");
        assertEquals(0, CliRun.of(train(idx, out)).status());
        // a file where the checkpoints folder must be: the file system refuses to create folders under it
        Files.writeString(out.resolve("checkpoints"), "not a folder");
        Map<String, byte[]> before = files(out);
        CliRun r = CliRun.of(train(idx, out, "--seed", "4", "--overwrite", "--checkpoint-every", "5"));
        assertEquals(2, r.status(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("error: writing the checkpoint at step 5 to file:" + out.resolve("checkpoints")
                + " failed: ") && r.stderr().contains("not a directory"), r.stderr());
        assertSameFiles(before, files(out));
    }

    @Test
    void anOutUnderAFileIsRefusedBeforeSparkStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file.txt"), "keep me");
        CliRun r = CliRun.of(train(idx, file.resolve("run")));
        r.assertOneError("error: --out " + file.resolve("run") + ": file:" + file + " is a file, not a folder");
        assertEquals("", r.stdout(), "found before Spark starts");
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void noCommandReplacesItsInput() throws IOException {
        Path run = dir.resolve("holds-data");
        assertEquals(0, CliRun.of(train(idx, run)).status());
        Path inside = run.resolve("data");
        Files.createDirectories(inside);
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.copy(idx.resolve(f), inside.resolve(f));
        }
        Map<String, byte[]> before = files(run);
        CliRun.of(train(inside, run, "--overwrite")).assertOneError("error: --out " + run + ": holds the input --data "
                + inside + "; give a folder outside it");
        CliRun.of("convert", "--data", idx.toString(), "--to", "csv", "--out", idx.toString(), "--overwrite", "--master",
                "local[2]").assertOneError("error: --out " + idx + ": is the input --data " + idx + "; give a folder outside it");
        CliRun.of("predict", "--model", run.toString(), "--data", inside.toString(), "--output", run.toString(),
                "--overwrite", "--master", "local[2]").assertOneError("error: --output " + run + ": is the input --model "
                + run + "; give a folder outside it");
        assertSameFiles(before, files(run));
    }

    @Test
    void aFolderOfHiddenFilesIsTheUsersAndNoRunReplacesIt() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/config"), "[core]\n");
        Files.writeString(repo.resolve(".gitignore"), "*.bin\n");
        Map<String, byte[]> before = files(repo);
        for (String[] args : List.of(train(idx, repo), train(idx, repo, "--overwrite"))) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.status(), run.stderr());
            assertEquals(1, run.stderr().lines().count(), run.stderr());
            assertTrue(run.stderr().startsWith("error: --out " + repo + ": holds files that are not a run (such as .git"),
                    run.stderr());
        }
        assertSameFiles(before, files(repo));
    }

    @Test
    void overwriteReplacesARunButNotWhatTheUserPutBesideIt() throws IOException {
        Path run = dir.resolve("run-with-predictions");
        assertEquals(0, CliRun.of(train(idx, run)).status());
        Files.createDirectories(run.resolve("predictions"));
        Files.writeString(run.resolve("predictions/part-00000.csv"), "index,prediction\n0,1\n");
        Map<String, byte[]> before = files(run);
        CliRun.of(train(idx, run, "--overwrite", "--seed", "4")).assertOneError("error: --out " + run
                + ": holds files that are not a run (such as predictions); give a new or empty folder");
        assertSameFiles(before, files(run));
    }

    @Test
    void convertAndPredictReplaceOnlyTheirOwnOutput() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.copy(idx.resolve("train-labels-idx1-ubyte"), foreign.resolve("train-labels-idx1-ubyte"));
        Files.writeString(foreign.resolve("notes.txt"), "my notes");
        Map<String, byte[]> before = files(foreign);
        CliRun.of("convert", "--data", idx.toString(), "--to", "csv", "--out", foreign.toString(), "--overwrite",
                "--master", "local[2]").assertOneError("error: --out " + foreign + ": was not written by convert (it has no "
                + "_spark-minibatch file); --overwrite replaces only convert's own output: give a new folder");
        Path run = dir.resolve("for-predict");
        assertEquals(0, CliRun.of(train(idx, run)).status());
        CliRun.of("predict", "--model", run.toString(), "--data", idx.toString(), "--output", foreign.toString(),
                "--overwrite", "--master", "local[2]").assertOneError("error: --output " + foreign + ": was not written by "
                + "predict (it has no _spark-minibatch file); --overwrite replaces only predict's own output: give a new folder");
        assertSameFiles(before, files(foreign));

        Path copy = dir.resolve("copy");
        String[] convert = {"convert", "--data", idx.toString(), "--to", "csv", "--out", copy.toString(), "--master",
            "local[2]", "--overwrite"};
        assertEquals(0, CliRun.of(convert).status());
        assertEquals("convert\n", Files.readString(copy.resolve("_spark-minibatch")));
        List<String> first = shape(copy);
        assertEquals(0, CliRun.of(convert).status(), "its own output is replaced");
        assertEquals(first, shape(copy), "the new copy's files, none of the old one's besides");
        Files.writeString(copy.resolve("notes.txt"), "added later");
        CliRun.of(convert).assertOneError("error: --out " + copy + ": holds files convert did not write (such as notes.txt); "
                + "--overwrite replaces only convert's own output: give a new folder");
        assertEquals("added later", Files.readString(copy.resolve("notes.txt")));

        Path predictions = dir.resolve("predictions");
        String[] predict = {"predict", "--model", run.toString(), "--data", idx.toString(), "--output",
            predictions.toString(), "--master", "local[2]", "--overwrite"};
        assertEquals(0, CliRun.of(predict).status());
        assertEquals(0, CliRun.of(predict).status(), "its own output is replaced");
        assertEquals("predict\n", Files.readString(predictions.resolve("_spark-minibatch")));
        CliRun.of("convert", "--data", idx.toString(), "--to", "csv", "--out", predictions.toString(), "--overwrite",
                "--master", "local[2]").assertOneError("error: --out " + predictions + ": was written by predict, not by "
                + "convert; --overwrite replaces only convert's own output: give a new folder");
    }

    @Test
    void convertToTheRootIsOneLine() {
        CliRun.of("convert", "--data", idx.toString(), "--to", "csv", "--out", "/", "--overwrite", "--master", "local[2]")
                .assertOneError("error: --out /: cannot be the file system root");
    }

    @Test
    void exportReplacesAFileButNeverAFolderOrAFileOfTheModel() throws IOException {
        Path run = dir.resolve("for-export");
        assertEquals(0, CliRun.of(train(idx, run)).status());
        Path folder = Files.createDirectories(dir.resolve("export-folder"));
        Files.writeString(folder.resolve("keep.txt"), "keep");
        CliRun.of("export", "--model", run.toString(), "--out", folder.toString(), "--overwrite")
                .assertOneError("error: --out " + folder + ": is a folder; give a file name");
        assertEquals("keep", Files.readString(folder.resolve("keep.txt")));
        Path weights = run.resolve("model/data/weights.bin");
        byte[] before = Files.readAllBytes(weights);
        CliRun.of("export", "--model", run.toString(), "--out", weights.toString(), "--overwrite")
                .assertOneError("error: --out " + weights + ": is inside the model folder " + run.resolve("model")
                        + "; give a file outside it");
        assertArrayEquals(before, Files.readAllBytes(weights));
        Path notOurs = Files.writeString(dir.resolve("notes.onnx"), "spark-minibatch notes: the user's own file");
        CliRun.of("export", "--model", run.toString(), "--out", notOurs.toString(), "--overwrite")
                .assertOneError("error: --out " + notOurs + ": exists and is not an ONNX model exported by this job; "
                        + "give another file name (nothing was replaced)");
        assertEquals("spark-minibatch notes: the user's own file", Files.readString(notOurs));
        Path onnx = dir.resolve("old.onnx");
        assertEquals(0, CliRun.of("export", "--model", run.toString(), "--out", onnx.toString()).status());
        Files.write(onnx, Arrays.copyOf(Files.readAllBytes(onnx), 200)); // an older export of ours, recognisably
        assertEquals(0, CliRun.of("export", "--model", run.toString(), "--out", onnx.toString(), "--overwrite").status());
        assertTrue(Files.size(onnx) > 200, "replaced by the whole export");
    }

    /**
     * {@code evaluate}, {@code compare} and {@code bench} write one file each: an earlier one of their
     * own is replaced, a user's file of that name (or a folder) never.
     */
    @Test
    void resultFilesReplaceOnlyTheirOwnKind() throws IOException {
        Path run = dir.resolve("for-results");
        Path other = dir.resolve("for-results-2");
        assertEquals(0, CliRun.of(train(idx, run)).status());
        assertEquals(0, CliRun.of(train(idx, other, "--seed", "4")).status());
        Path notes = Files.writeString(dir.resolve("notes.json"), "{\"mine\": true}");
        String[] evaluate = {"evaluate", "--model", run.resolve("model").toString(), "--data", idx.toString(),
                "--master", "local[2]", "--out", notes.toString()};
        CliRun.of(evaluate).assertOneError("error: --out " + notes + ": exists and is not an evaluation written by "
                + "evaluate; give another file name (nothing was replaced)");
        assertEquals("{\"mine\": true}", Files.readString(notes));
        Path evaluation = dir.resolve("evaluation.json");
        evaluate[evaluate.length - 1] = evaluation.toString();
        assertEquals(0, CliRun.of(evaluate).status());
        String first = Files.readString(evaluation);
        Files.writeString(evaluation, first.replace("\"accuracy\"", "\"old_accuracy\""));
        assertEquals(0, CliRun.of(evaluate).status(), "an earlier evaluation is replaced");
        assertEquals(first, Files.readString(evaluation));

        Path page = Files.writeString(dir.resolve("page.html"), "<html>the user's page</html>");
        CliRun.of("compare", run.toString(), other.toString(), "--out", page.toString())
                .assertOneError("error: --out " + page + ": exists and is not a page written by compare; "
                        + "give another file name (nothing was replaced)");
        assertEquals("<html>the user's page</html>", Files.readString(page));
        Path compared = dir.resolve("compared.html");
        assertEquals(0, CliRun.of("compare", run.toString(), other.toString(), "--out", compared.toString()).status());
        assertEquals(0, CliRun.of("compare", other.toString(), run.toString(), "--out", compared.toString()).status(),
                "an earlier page is replaced");

        CliRun.of("bench", "--data", idx.toString(), "--out", notes.toString(), "--master", "local[2]")
                .assertOneError("error: --out " + notes + ": exists and is not a bench.json written by bench; "
                        + "give another file name (nothing was replaced)");
        assertEquals("{\"mine\": true}", Files.readString(notes));
    }
}
