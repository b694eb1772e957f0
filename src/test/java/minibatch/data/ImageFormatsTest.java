package minibatch.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.data.table.TableExport;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every input format reads the same small data set to identical rows in identical partitions:
 * IDX, and CSV, Parquet and LibSVM copies written by {@link TableExport} with several part files.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFormatsTest {
    @TempDir
    static Path dir;
    static Path idx;

    @BeforeAll
    static void writeCopies(SparkSession spark) throws IOException {
        idx = IdxFixtures.syntheticMnist(Files.createDirectories(dir.resolve("idx")), 53, 11, 5);
        for (DataFormat f : List.of(DataFormat.CSV, DataFormat.PARQUET, DataFormat.LIBSVM)) {
            for (String set : List.of("train", "test")) {
                ImageSource source = open(spark, idx.toString(), DataFormat.IDX, set);
                // 3 part files, read back into other partition counts
                TableExport.write(spark, source, 3, f, dir.resolve(f.id()).resolve(set + "." + f.id()).toString());
            }
        }
    }

    private static ImageSource open(SparkSession spark, String location, DataFormat format, String set) {
        return ImageSources.open(spark, location, "--data", format, set, 0, 0, ImageSources.Use.TRAINING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "parquet", "libsvm"})
    void aCopyReadsBackToTheSameRowsInTheSamePartitions(String format, SparkSession spark) {
        for (String set : List.of("train", "test")) {
            ImageSource original = open(spark, idx.toString(), DataFormat.IDX, set);
            ImageSource copy = open(spark, dir.resolve(format).toString(), DataFormat.AUTO, set);
            assertEquals(original.count(), copy.count());
            assertEquals(original.maxLabel(), copy.maxLabel());
            assertEquals(8, copy.rows());
            assertEquals(8, copy.cols());
            for (int slices : new int[] {1, 2, 5}) {
                List<List<LabeledImage>> a = original.read(spark, slices).glom().collect();
                List<List<LabeledImage>> b = copy.read(spark, slices).glom().collect();
                assertEquals(a.size(), b.size());
                for (int p = 0; p < a.size(); p++) {
                    assertEquals(a.get(p).size(), b.get(p).size(), format + " partition " + p + " of " + slices);
                    for (int i = 0; i < a.get(p).size(); i++) {
                        assertEquals(a.get(p).get(i).label(), b.get(p).get(i).label());
                        assertArrayEquals(a.get(p).get(i).pixels(), b.get(p).get(i).pixels(),
                                format + " " + set + " row " + i + " of partition " + p);
                    }
                }
            }
        }
    }

    @Test
    void kaggleCsvWithAHeaderAndNoLabelIsReadForPredictions(SparkSession spark) throws IOException {
        Path csv = dir.resolve("kaggle-test.csv");
        Files.writeString(csv, "pixel0,pixel1,pixel2,pixel3\n0,255,\"7\",1\n\n3,4,5,6\n");
        ImageSource source = ImageSources.open(spark, csv.toString(), "--input", DataFormat.AUTO, "test", 0, 0,
                ImageSources.Use.ANY);
        assertEquals(2, source.count());
        assertEquals(-1, source.maxLabel());
        assertEquals(2, source.rows());
        JavaRDD<LabeledImage> rows = source.read(spark, 2);
        List<LabeledImage> all = rows.collect();
        assertArrayEquals(new byte[] {0, (byte) 255, 7, 1}, all.get(0).pixels());
        assertEquals(-1, all.get(1).label());
    }
}
