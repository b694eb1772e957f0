package minibatch.data.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static minibatch.testing.IdxFixtures.gzip;
import static minibatch.testing.IdxFixtures.idx;
import static minibatch.testing.IdxFixtures.images;
import static minibatch.testing.IdxFixtures.labels;
import static minibatch.testing.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every IDX defect fails with its own message that names the file; valid files pass. */
class IdxFileTest {
    private static final Configuration CONF = new Configuration();
    private static final byte[] TWO_2X3_IMAGES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};

    @TempDir
    Path dir;

    private String inspectImagesError(byte[] content) throws IOException {
        Path f = write(dir.resolve("images-idx3-ubyte"), content);
        UserError e = assertThrows(UserError.class, () -> IdxFile.inspect(hadoop(f), CONF, IdxHeader.IMAGES_MAGIC));
        assertTrue(e.getMessage().startsWith(hadoop(f).toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    private static void assertContains(String message, String expected) {
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    @Test
    void validRawAndGzipFilesGiveTheSameHeader() throws IOException {
        byte[] raw = images(2, 2, 3, TWO_2X3_IMAGES);
        IdxFile a = IdxFile.inspect(hadoop(write(dir.resolve("a-idx3-ubyte"), raw)), CONF, IdxHeader.IMAGES_MAGIC);
        IdxFile b = IdxFile.inspect(hadoop(write(dir.resolve("b-idx3-ubyte.gz"), gzip(raw))), CONF, IdxHeader.IMAGES_MAGIC);
        assertArrayEquals(new int[] {2, 2, 3}, a.header().dims());
        assertEquals(a.header(), b.header());
        assertEquals(6, a.header().recordBytes());
        assertTrue(b.compressed());
        for (IdxFile f : new IdxFile[] {a, b}) {
            try (var in = f.openAtRecord(CONF, 1)) {
                assertArrayEquals(Arrays.copyOfRange(TWO_2X3_IMAGES, 6, 12), in.readAllBytes());
            }
        }
    }

    @Test
    void badMagic() throws IOException {
        assertContains(inspectImagesError(idx(0x12340803, new int[] {2, 2, 3}, TWO_2X3_IMAGES)),
                "bad magic number 0x12340803 (an IDX image file starts with 0x00000803)");
    }

    @Test
    void labelMagicWhereImagesAreExpected() throws IOException {
        assertContains(inspectImagesError(labels(new byte[] {1, 2})),
                "an IDX image file has 3 dimension(s), this one declares 1 (magic 0x00000801)");
    }

    @Test
    void wrongElementType() throws IOException {
        assertContains(inspectImagesError(idx(0x00000d03, new int[] {2, 2, 3}, TWO_2X3_IMAGES)),
                "unsupported IDX element type 0x0d");
    }

    @Test
    void emptyFile() throws IOException {
        assertContains(inspectImagesError(new byte[0]), "empty file");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertContains(inspectImagesError(new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0}),
                "truncated IDX header (dimension 2 of 3 missing)");
    }

    @Test
    void shortData() throws IOException {
        assertContains(inspectImagesError(images(2, 2, 3, Arrays.copyOf(TWO_2X3_IMAGES, 11))),
                "short data: the header declares 12 bytes of data, the file holds 11");
    }

    @Test
    void extraData() throws IOException {
        assertContains(inspectImagesError(images(2, 2, 3, Arrays.copyOf(TWO_2X3_IMAGES, 15))),
                "extra data: 3 trailing byte(s) after the 12 bytes the header declares");
    }

    @Test
    void wrongDimensionsShowAsLengthMismatch() throws IOException {
        assertContains(inspectImagesError(images(2, 3, 3, TWO_2X3_IMAGES)),
                "short data: the header declares 18 bytes of data, the file holds 12");
    }

    @Test
    void zeroImages() throws IOException {
        assertContains(inspectImagesError(images(0, 28, 28, new byte[0])), "holds no images (count 0 in the IDX header)");
    }

    @Test
    void hugeDeclaredImagesFailBeforeAllocating() throws IOException {
        assertContains(inspectImagesError(images(1, 100_000, 100_000, new byte[4])),
                "image size 100000x100000 in the IDX header exceeds the limit");
        assertContains(inspectImagesError(images(Integer.MAX_VALUE, 4096, 4096, new byte[4])),
                "short data: the header declares " + (long) Integer.MAX_VALUE * 4096 * 4096 + " bytes of data, the file holds 4");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(images(2, 2, 3, TWO_2X3_IMAGES));
        byte[] truncated = Arrays.copyOf(gz, gz.length - 12);
        Path f = write(dir.resolve("images-idx3-ubyte.gz"), truncated);
        UserError e = assertThrows(UserError.class, () -> IdxFile.inspect(hadoop(f), CONF, IdxHeader.IMAGES_MAGIC));
        assertContains(e.getMessage(), "cannot read compressed data (corrupt or truncated?)");

        byte[] garbage = gz.clone();
        for (int i = 10; i < garbage.length - 8; i++) {
            garbage[i] = (byte) 0xA5;
        }
        Path g = write(dir.resolve("garbage-idx3-ubyte.gz"), garbage);
        UserError e2 = assertThrows(UserError.class, () -> IdxFile.inspect(hadoop(g), CONF, IdxHeader.IMAGES_MAGIC));
        assertContains(e2.getMessage(), "cannot read compressed data");
    }

    @Test
    void directoryAndMissingFile() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("a-dir"));
        UserError isDir = assertThrows(UserError.class, () -> IdxFile.inspect(hadoop(sub), CONF, IdxHeader.IMAGES_MAGIC));
        assertContains(isDir.getMessage(), "is a directory, expected an IDX file");
        UserError missing = assertThrows(UserError.class,
                () -> IdxFile.inspect(hadoop(dir.resolve("nope")), CONF, IdxHeader.IMAGES_MAGIC));
        assertContains(missing.getMessage(), "nope: not found");
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path img = write(dir.resolve("i"), images(2, 2, 3, TWO_2X3_IMAGES));
        Path lab = write(dir.resolve("l"), labels(new byte[] {1, 2, 3}));
        UserError e = assertThrows(UserError.class, () -> IdxImageSet.open(hadoop(img), hadoop(lab), CONF, 10));
        assertContains(e.getMessage(), "holds 2 images but");
        assertContains(e.getMessage(), "holds 3 labels");
    }

    @Test
    void labelsMustBeInTheClassRange() throws IOException {
        Path img = write(dir.resolve("i"), images(2, 2, 3, TWO_2X3_IMAGES));
        Path lab = write(dir.resolve("l.gz"), gzip(labels(new byte[] {9, 10})));
        UserError e = assertThrows(UserError.class, () -> IdxImageSet.open(hadoop(img), hadoop(lab), CONF, 10));
        assertContains(e.getMessage(), "label 10 at index 1 is outside the class range 0..9");
        IdxImageSet ok = IdxImageSet.open(hadoop(img), hadoop(lab), CONF, 11);
        assertEquals(2, ok.count());
        assertEquals(6, ok.pixelsPerImage());
    }

    @Test
    void mnistFilesPreferRawAndFallBackToGzip() throws IOException {
        write(dir.resolve(MnistFiles.TRAIN_IMAGES + ".gz"), gzip(images(2, 2, 3, TWO_2X3_IMAGES)));
        assertTrue(MnistFiles.locate(dir.toString(), MnistFiles.TRAIN_IMAGES, CONF, "--data").getName().endsWith(".gz"));
        write(dir.resolve(MnistFiles.TRAIN_IMAGES), images(2, 2, 3, TWO_2X3_IMAGES));
        assertEquals(MnistFiles.TRAIN_IMAGES, MnistFiles.locate(dir.toString(), MnistFiles.TRAIN_IMAGES, CONF, "--data").getName());
        UserError missing = assertThrows(UserError.class,
                () -> MnistFiles.locate(dir.toString(), MnistFiles.TEST_LABELS, CONF, "--data"));
        assertContains(missing.getMessage(), "t10k-labels-idx1-ubyte: not found (nor t10k-labels-idx1-ubyte.gz)");
        UserError noDir = assertThrows(UserError.class,
                () -> MnistFiles.locate(dir.resolve("absent").toString(), MnistFiles.TEST_LABELS, CONF, "--data"));
        assertContains(noDir.getMessage(), "--data " + dir.resolve("absent") + ": folder not found");
    }
}
