package minibatch.data.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import minibatch.data.ImageSource;
import minibatch.data.LabeledImage;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.MnistFiles;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX files round-trip, in order, into a cached and partitioned DataFrame. */
@ExtendWith(LocalSpark.class)
class CachedImagesTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.Test
    void replicatedCopiesAreShiftsOfTheOriginalAndTheSameEveryTime(SparkSession spark) throws IOException {
        ImageSet train = IdxFixtures.synthetic(23, 6, 7, 4, 9);
        IdxFixtures.writeMnistLayout(dir, train, IdxFixtures.synthetic(4, 6, 7, 4, 10), false);
        IdxImageSet set = MnistFiles.train(dir.toString(), new Configuration(), 4);
        CachedImages a = CachedImages.load(spark, set, 2, "test", 3, 11);
        CachedImages b = CachedImages.load(spark, set, 2, "test", 3, 11);
        try {
            assertEquals(69, a.count());
            List<LabeledImage> rows = a.images().collect();
            List<LabeledImage> again = b.images().collect();
            int shifted = 0;
            for (int i = 0; i < 23; i++) {
                assertArrayEquals(train.image(i), rows.get(3 * i).pixels(), "copy 0 of row " + i + " is the original");
                for (int c = 1; c < 3; c++) {
                    LabeledImage copy = rows.get(3 * i + c);
                    assertEquals(train.labels()[i], copy.label());
                    assertArrayEquals(copy.pixels(), again.get(3 * i + c).pixels(), "the same copy every time");
                    boolean isShift = false;
                    for (int dx = -2; dx <= 2 && !isShift; dx++) {
                        for (int dy = -2; dy <= 2 && !isShift; dy++) {
                            isShift = java.util.Arrays.equals(Replicator.shift(train.image(i), 6, 7, 1, dx, dy), copy.pixels());
                        }
                    }
                    assertTrue(isShift, "copy " + c + " of row " + i + " is a shift of at most 2 pixels");
                    shifted += java.util.Arrays.equals(copy.pixels(), train.image(i)) ? 0 : 1;
                }
            }
            assertTrue(shifted > 30, "most copies moved: " + shifted + " of 46");
        } finally {
            a.release();
            b.release();
        }
    }

    @ParameterizedTest(name = "channels={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
    void copiesOfImagesThatAreNotSquareAreShiftsInTheirHeightAndWidth(int channels, SparkSession spark) throws IOException {
        ImageSet train = minibatch.testing.EncodedImages.sortedByLabel(IdxFixtures.synthetic(12, 6, 10, 2, 5));
        minibatch.testing.EncodedImages.writeFolders(dir.resolve("folders"), "train", train, List.of("a", "b"), channels == 3);
        ImageSource set = minibatch.data.encoded.ImageFolders.open(spark,
                new org.apache.hadoop.fs.Path(dir.resolve("folders").toUri()), "train", channels, new Configuration());
        assertEquals(6, set.rows());
        assertEquals(10, set.cols());
        CachedImages cache = CachedImages.load(spark, set, 2, "test", 4, 3);
        try {
            List<LabeledImage> rows = cache.images().collect();
            int shifted = 0;
            for (int i = 0; i < train.count(); i++) {
                byte[] original = channels == 1 ? train.image(i) : rgb(train.image(i));
                assertArrayEquals(original, rows.get(4 * i).pixels(), "copy 0 of row " + i + " is the original");
                for (int c = 1; c < 4; c++) {
                    byte[] copy = rows.get(4 * i + c).pixels();
                    boolean isShift = false;
                    for (int dx = -2; dx <= 2 && !isShift; dx++) {
                        for (int dy = -2; dy <= 2 && !isShift; dy++) {
                            isShift = java.util.Arrays.equals(Replicator.shift(original, 6, 10, channels, dx, dy), copy);
                        }
                    }
                    assertTrue(isShift, "copy " + c + " of row " + i + " is a shift of at most 2 pixels in 6x10");
                    shifted += java.util.Arrays.equals(copy, original) ? 0 : 1;
                }
            }
            assertTrue(shifted > 24, "most copies moved: " + shifted + " of 36");
        } finally {
            cache.release();
        }
    }

    /** Gray values as the colour pixels {@code EncodedImages.colourPng} writes: R, G, B per pixel. */
    private static byte[] rgb(byte[] gray) {
        byte[] out = new byte[gray.length * 3];
        for (int p = 0; p < gray.length; p++) {
            int c = minibatch.testing.EncodedImages.colourOf(gray[p] & 0xff);
            out[3 * p] = (byte) (c >> 16);
            out[3 * p + 1] = (byte) (c >> 8);
            out[3 * p + 2] = (byte) c;
        }
        return out;
    }

    @ParameterizedTest(name = "gzip={0}, partitions={1}")
    @CsvSource({"false,1", "true,7", "false,3", "true,2"})
    void rowsRoundTripInOrderAcrossPartitions(boolean gzip, int partitions, SparkSession spark)
            throws IOException {
        ImageSet train = IdxFixtures.synthetic(23, 3, 5, 4, 7);
        IdxFixtures.writeMnistLayout(dir, train, IdxFixtures.synthetic(4, 3, 5, 4, 8), gzip);
        IdxImageSet set = MnistFiles.train(dir.toString(), new Configuration(), 4);

        CachedImages cache = CachedImages.load(spark, set, partitions, "test");
        try {
            assertEquals(23, cache.count());
            assertEquals(partitions, cache.partitions());
            assertEquals(partitions, cache.rows().getNumPartitions());
            List<LabeledImage> rows = cache.images().collect();
            assertEquals(23, rows.size());
            for (int i = 0; i < train.count(); i++) {
                assertEquals(train.labels()[i], rows.get(i).label(), "label of row " + i);
                assertArrayEquals(train.image(i), rows.get(i).pixels(), "pixels of row " + i);
            }
            assertEquals(FrameLayout.PIXELS.schema(), cache.frame().schema());
            assertTrue(cache.frame().storageLevel().useMemory(), "the DataFrame is in Spark's cache");
            List<Row> dfRows = cache.frame().collectAsList();
            assertArrayEquals(train.image(5), (byte[]) dfRows.get(5).get(1));
            for (int p = 0; p < partitions; p++) {
                // partition p holds the canonical slice p, whatever the file format
                long start = ImageSource.sliceStart(23, partitions, p);
                long end = ImageSource.sliceStart(23, partitions, p + 1);
                assertEquals(end - start, (long) cache.images().glom().collect().get(p).size(), "rows of partition " + p);
            }
        } finally {
            cache.release();
        }
    }
}
