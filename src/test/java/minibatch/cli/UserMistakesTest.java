package minibatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mistakes a newcomer makes each end with one {@code error:} line and exit status 2, found
 * before Spark starts where they can be, and never answered with advice that would destroy data.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserMistakesTest {
    @TempDir
    static Path dir;
    Path data;

    @BeforeAll
    void writeData() throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 40, 8);
    }

    private static void assertOneError(CliRun r, String expected) {
        r.assertOneError(expected);
    }

    private List<String> train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--hidden", "4", "--steps", "20",
                "--batch-size", "10", "--progress-seconds", "100"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aBadMasterIsRecognisedBeforeSparkIsAsked() {
        CliRun r = CliRun.of(train("--master", "nonsense", "--out", dir.resolve("m").toString()).toArray(String[]::new));
        r.assertOneError("error: --master nonsense: not a Spark master URL (local, local[N], local[*], local[N,F], "
                + "spark://HOST:PORT, yarn, k8s://https://HOST:PORT)");
        assertEquals("", r.stdout(), "nothing started");
    }

    @Test
    void anUnknownOptionGetsPicocliSuggestion() {
        CliRun r = CliRun.of("train", "--learning_rate", "0.05");
        assertEquals(2, r.status());
        assertTrue(r.stderr().startsWith("error: Unknown options: '--learning_rate', '0.05'; did you mean --learning-rate"),
                r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void aDataFolderWithoutATestSetIsRefusedBeforeSparkStarts() throws IOException {
        Path onlyTrain = Files.createDirectories(dir.resolve("only-train"));
        Files.copy(data.resolve("train-images-idx3-ubyte"), onlyTrain.resolve("train-images-idx3-ubyte"));
        Files.copy(data.resolve("train-labels-idx1-ubyte"), onlyTrain.resolve("train-labels-idx1-ubyte"));
        CliRun r = CliRun.of("train", "--data", onlyTrain.toString(), "--out", dir.resolve("t").toString());
        r.assertOneError("error: --data file:" + onlyTrain + ": holds no test set (expected the MNIST IDX files, "
                + "test.csv, test.parquet, test.libsvm, test/<class>/ image folders or test-*.parquet)");
        assertEquals("", r.stdout(), "no 'spark ... writing' line first");
        assertFalse(Files.exists(dir.resolve("t")));
    }

    @Test
    void aBrokenIdxFileIsRefusedBeforeSparkStarts() throws IOException {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            Files.copy(data.resolve(f), broken.resolve(f));
        }
        byte[] images = Files.readAllBytes(broken.resolve("t10k-images-idx3-ubyte"));
        Files.write(broken.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(images, images.length - 10));
        CliRun r = CliRun.of("train", "--data", broken.toString(), "--out", dir.resolve("b").toString());
        assertEquals(2, r.status(), r.stderr());
        assertTrue(r.stderr().startsWith("error: ") && r.stderr().contains("t10k-images-idx3-ubyte"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertEquals("", r.stdout(), "found before Spark starts");
    }

    @Test
    void anOutThatIsNotARunIsRefusedWithoutOfferingOverwrite() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        for (boolean overwrite : new boolean[] {false, true}) {
            List<String> args = train("--out", file.toString());
            if (overwrite) {
                args.add("--overwrite");
            }
            assertOneError(CliRun.of(args.toArray(String[]::new)), "error: --out " + file
                    + ": is a file, not a run folder; give a new or empty folder");
        }
        assertEquals("keep me", Files.readString(file));
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(folder.resolve("holiday.jpg"), "not a run");
        assertOneError(CliRun.of(train("--out", folder.toString(), "--overwrite").toArray(String[]::new)), "error: --out "
                + folder + ": holds files that are not a run (such as holiday.jpg); give a new or empty folder");
        assertTrue(Files.exists(folder.resolve("holiday.jpg")));
    }

    @Test
    void evaluateAcceptsARunFolderAndWritesBesideTheModelWithoutCrcFiles() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, CliRun.of(train("--out", runDir.toString()).toArray(String[]::new)).status());
        Path cwd = Path.of("").toAbsolutePath();
        CliRun r = CliRun.of("evaluate", "--model", runDir.toString(), "--data", data.toString());
        assertEquals(0, r.status(), r.stderr());
        assertTrue(Files.exists(runDir.resolve("evaluation-test.json")), r.stdout());
        try (Stream<Path> files = Stream.concat(Files.list(runDir), Files.list(cwd))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".crc")
                    && f.getFileName().toString().contains("evaluation")), "no .crc beside the JSON");
        }
        assertFalse(Files.exists(cwd.resolve("evaluation.json")), "nothing written into the working directory");
    }

    @Test
    void evaluateAndPredictNameTheirInputTheSameWay() {
        Path runDir = dir.resolve("run-names");
        assertEquals(0, CliRun.of(train("--out", runDir.toString()).toArray(String[]::new)).status());
        assertEquals(0, CliRun.of("predict", "--model", runDir.toString(), "--data", data.toString(), "--output",
                dir.resolve("preds").toString()).status());
        assertEquals(0, CliRun.of("predict", "--model", runDir.resolve("model").toString(), "--input", data.toString(),
                "--output", dir.resolve("preds-old-name").toString()).status(), "--input stays an alias");
        assertEquals(0, CliRun.of("evaluate", "--model", runDir.toString(), "--input", data.toString(), "--out",
                dir.resolve("e.json").toString()).status());
    }
}
