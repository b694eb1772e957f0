package minibatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.SubmitRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusals of {@link OverwriteKeepsDataTest} as a user meets them, through {@code ./submit.sh}
 * (a Spark installation's layout, the application jar prebuilt): exit status 2, one {@code error:}
 * line on stderr, no stack trace, and the user's files as they were.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverwriteThroughSubmitTest {
    @TempDir
    static Path dir;
    SubmitRun.Launcher launcher;

    @BeforeAll
    void assemble() throws IOException {
        launcher = SubmitRun.Launcher.withSparkHome(dir.resolve("launcher"));
    }

    /** {@code ./submit.sh args} through the Spark installation, its standard error kept. */
    private SubmitRun submit(String... args) throws Exception {
        return launcher.run(dir.resolve("outputs"), args);
    }

    private static void assertOneErrorLine(SubmitRun r, String start) {
        assertEquals(2, r.status(), r.stderr());
        List<String> errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.stderr());
        assertTrue(errors.get(0).startsWith(start), r.stderr());
        assertTrue(r.stderr().lines().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), "no stack trace: "
                + r.stderr());
    }

    @Test
    void overwriteWithABadRowKeepsTheFinishedRun() throws Exception {
        Path data = OverwriteKeepsDataTest.csvData(dir.resolve("csv"));
        Path out = dir.resolve("run");
        String[] train = OverwriteKeepsDataTest.train(data, out);
        assertEquals(0, CliRun.of(train).status());
        var before = OverwriteKeepsDataTest.files(out);
        OverwriteKeepsDataTest.spoilOneRow(data);
        String[] again = OverwriteKeepsDataTest.with(train, "--overwrite");
        SubmitRun r = submit(again);
        assertOneErrorLine(r, "error: ");
        assertTrue(r.stderr().contains("train.csv") && r.stderr().contains("999"), r.stderr());
        OverwriteKeepsDataTest.assertSameFiles(before, OverwriteKeepsDataTest.files(out));
    }

    @Test
    void convertOverwriteOntoAForeignFolderIsRefused() throws Exception {
        Path idx = IdxFixtures.syntheticMnist(dir.resolve("idx"), 60, 20, 3);
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.copy(idx.resolve("t10k-labels-idx1-ubyte"), mine.resolve("t10k-labels-idx1-ubyte"));
        Files.writeString(mine.resolve("notes.txt"), "my notes");
        var before = OverwriteKeepsDataTest.files(mine);
        SubmitRun r = submit("convert", "--data", idx.toString(), "--to", "csv", "--out", mine.toString(), "--overwrite",
                "--master", "local[2]");
        assertOneErrorLine(r, "error: --out " + mine + ": was not written by convert");
        OverwriteKeepsDataTest.assertSameFiles(before, OverwriteKeepsDataTest.files(mine));

        SubmitRun root = submit("convert", "--data", idx.toString(), "--to", "csv", "--out", "/", "--master", "local[2]");
        assertOneErrorLine(root, "error: --out /: cannot be the file system root");
    }

    @Test
    void resultFilesNeverReplaceAUsersFile() throws Exception {
        Path idx = IdxFixtures.syntheticMnist(dir.resolve("idx-results"), 200, 40, 3);
        Path run = dir.resolve("run-for-results");
        assertEquals(0, CliRun.of(OverwriteKeepsDataTest.train(idx, run)).status());
        Path notes = Files.writeString(dir.resolve("notes.onnx"), "my notes");
        assertOneErrorLine(submit("export", "--model", run.toString(), "--out", notes.toString(), "--overwrite"),
                "error: --out " + notes + ": exists and is not an ONNX model exported by this job");
        assertOneErrorLine(submit("compare", run.toString(), run.toString(), "--out", notes.toString()),
                "error: --out " + notes + ": exists and is not a page written by compare");
        assertOneErrorLine(submit("evaluate", "--model", run.resolve("model").toString(), "--data", idx.toString(),
                "--out", notes.toString(), "--master", "local[2]"),
                "error: --out " + notes + ": exists and is not an evaluation written by evaluate");
        assertEquals("my notes", Files.readString(notes));
    }
}
