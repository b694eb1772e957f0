package minibatch.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import minibatch.testing.CliRun;
import minibatch.testing.EncodedImages;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import minibatch.testing.SubmitRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image folders read as torchvision's {@code ImageFolder} and Keras' {@code image_dataset_from_directory}
 * read them: a class folder's images at any depth are its own, a class folder named {@code _...}
 * (which Spark's file listing skips) is read, other files are ignored; a hidden class folder holding
 * images, an image file named {@code _...} and an image too large to decode are one error line,
 * in-process and through {@code ./submit.sh}.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFolderLayoutsTest {
    private static final List<String> CLASSES = List.of("ant", "bee", "cat", "dog");

    @TempDir
    static Path dir;
    IdxFixtures.ImageSet train;
    IdxFixtures.ImageSet test;
    Path flat;
    String flatWeights;

    @BeforeAll
    void writeData() throws IOException {
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(240, 8, 8, 4, 21);
        train = EncodedImages.sortedByLabel(new IdxFixtures.ImageSet(8, 8, Arrays.copyOfRange(all.pixels(), 0, 180 * 64),
                Arrays.copyOfRange(all.labels(), 0, 180)));
        test = EncodedImages.sortedByLabel(new IdxFixtures.ImageSet(8, 8, Arrays.copyOfRange(all.pixels(), 180 * 64, 240 * 64),
                Arrays.copyOfRange(all.labels(), 180, 240)));
        flat = folders("flat", CLASSES);
    }

    private Path folders(String name, List<String> classes) throws IOException {
        Path data = dir.resolve(name);
        EncodedImages.writeFolders(data, "train", train, classes);
        EncodedImages.writeFolders(data, "test", test, classes);
        return data;
    }

    /** The weights the flat layout trains to, trained once. */
    private String flatWeights() throws IOException {
        if (flatWeights == null) {
            flatWeights = RunSummary.weightsSha256(run(flat, "flat"));
        }
        return flatWeights;
    }

    private static Path run(Path data, String name) {
        Path out = dir.resolve("runs").resolve(name);
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--hidden", "10", "--steps", "60",
                "--batch-size", "20", "--partitions", "2", "--progress-seconds", "100");
        assertEquals(0, r.status(), r.stderr());
        return out;
    }

    private static CliRun fails(Path data, String name) {
        return CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("runs").resolve(name).toString(),
                "--steps", "2", "--batch-size", "2");
    }

    /** Moves the files of {@code classDir} whose names are at least {@code from} into {@code classDir/sub}. */
    private static void moveFrom(Path classDir, String from, String sub) throws IOException {
        Path target = Files.createDirectories(classDir.resolve(sub));
        try (Stream<Path> files = Files.list(classDir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().compareTo(from) >= 0).toList()) {
                Files.move(f, target.resolve(f.getFileName()));
            }
        }
    }

    /** The image files under {@code classDir}, at any depth, sorted by path. */
    private static List<Path> images(Path classDir) throws IOException {
        try (Stream<Path> files = Files.walk(classDir)) {
            return files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void imagesInSubFoldersOfAClassFolderBelongToItAtAnyDepth() throws Exception {
        Path nested = folders("nested", CLASSES);
        for (String c : List.of("ant", "cat")) {
            Path classDir = nested.resolve("train").resolve(c);
            List<Path> files = images(classDir);
            // the last third into 'batch two', the last sixth one level deeper: path order stays the rows' order
            moveFrom(classDir, files.get(files.size() * 2 / 3).getFileName().toString(), "batch two");
            moveFrom(classDir.resolve("batch two"), files.get(files.size() * 5 / 6).getFileName().toString(), "deeper");
            Files.writeString(classDir.resolve("batch two").resolve("notes.txt"), "not an image: ignored");
        }
        assertTrue(Files.exists(nested.resolve("train/cat/batch two/deeper")));
        assertEquals(flatWeights(), RunSummary.weightsSha256(run(nested, "nested")));
    }

    @Test
    void classFoldersAndSubFoldersNamedWithAnUnderscoreAreRead() throws Exception {
        // '_ant' sorts before 'bee' as 'ant' does, so the rows come in the flat layout's order
        Path underscored = folders("underscored", List.of("_ant", "bee", "cat", "dog"));
        Path bee = underscored.resolve("train/bee");
        List<Path> files = images(bee);
        moveFrom(bee, files.get(files.size() / 2).getFileName().toString(), "_second half");
        Path run = run(underscored, "underscored");
        assertEquals(flatWeights(), RunSummary.weightsSha256(run));
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"_ant\""), "the class keeps its name");
    }

    @Test
    void aHiddenClassFolderHoldingImagesIsOneError() throws Exception {
        Path hidden = folders("hidden", CLASSES);
        Files.move(hidden.resolve("train/dog"), hidden.resolve("train/.dog"));
        Files.createDirectories(hidden.resolve("train/.ipynb_checkpoints"));
        Files.writeString(hidden.resolve("train/.ipynb_checkpoints/x.ipynb"), "{}");
        String expected = "error: file:" + hidden.resolve("train/.dog")
                + ": a class folder's name cannot start with '.' (hidden, and no class for Keras); rename it";
        fails(hidden, "hidden").assertOneError(expected);
        Path launcherDir = dir.resolve("submit-hidden");
        SubmitRun.Launcher.withSparkHome(launcherDir).run(launcherDir, "train", "--data", hidden.toString(),
                "--out", dir.resolve("runs/hidden-submit").toString()).assertErrorLine(expected);
        assertFalse(Files.exists(dir.resolve("runs/hidden-submit")));
    }

    @Test
    void anImageFileNamedWithAnUnderscoreIsOneError() throws Exception {
        Path data = folders("underscore-file", CLASSES);
        Path file = images(data.resolve("train/cat")).get(0);
        Path renamed = file.resolveSibling("_" + file.getFileName());
        Files.move(file, renamed);
        fails(data, "underscore-file").assertOneError("error: file:" + renamed
                + ": Spark's file listing skips names starting with '_'; rename the file (a folder so named is read)");
    }

    @Test
    void anImageLargerThanThePixelCapIsOneErrorNamingTheFileBeforeDecoding() throws Exception {
        Path data = folders("huge", CLASSES);
        Path huge = data.resolve("train/bee/huge.png");
        Files.write(huge, withSize(EncodedImages.encode(train, 0, "png"), 5000, 4000));
        String expected = "error: " + huge.toUri() + ": the file is 5000 pixels wide and 4000 high, 20000000 pixels, "
                + "more than the 16777216 an image may have";
        fails(data, "huge").assertOneError(expected);
        Path launcherDir = dir.resolve("submit-huge");
        SubmitRun.Launcher.withSparkHome(launcherDir).run(launcherDir, "train", "--data", data.toString(),
                "--out", dir.resolve("runs/huge-submit").toString()).assertErrorLine(expected);
    }

    /** {@code png} with its header (IHDR) claiming {@code width × height}, its checksum fixed: the pixels stay as they are. */
    static byte[] withSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(16, width).putInt(20, height);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out, 12, 17); // chunk type and its 13 data bytes
        b.putInt(29, (int) crc.getValue());
        return out;
    }
}
