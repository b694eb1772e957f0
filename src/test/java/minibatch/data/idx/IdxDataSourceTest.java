package minibatch.data.idx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.UserError;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.ml.MiniBatchNetClassifier;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code format("idx")}: a folder or one images file gives the files' rows in order, as pixels or as
 * estimator-ready feature vectors, in SQL too, in contiguous slices; broken input is one clear error.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdxDataSourceTest {
    @TempDir
    static Path dir;
    Path folder;
    IdxFixtures.ImageSet train;
    IdxFixtures.ImageSet test;

    @BeforeAll
    void writeData() throws Exception {
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(250, 8, 8, 4, 5);
        train = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 0, 200 * 64),
                java.util.Arrays.copyOfRange(all.labels(), 0, 200));
        test = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 200 * 64, 250 * 64),
                java.util.Arrays.copyOfRange(all.labels(), 200, 250));
        folder = IdxFixtures.writeMnistLayout(dir.resolve("mnist"), train, test, false);
    }

    private static void assertRowsAre(IdxFixtures.ImageSet expected, List<Row> rows) {
        assertEquals(expected.count(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.labels()[i], rows.get(i).getInt(0), "label of row " + i);
            assertArrayEquals(expected.image(i), (byte[]) rows.get(i).get(1), "pixels of row " + i);
        }
    }

    @Test
    void aFolderGivesItsTrainOrTestSetInFileOrder(SparkSession spark) {
        Dataset<Row> frame = spark.read().format("idx").load(folder.toString());
        assertEquals(new StructType().add("label", DataTypes.IntegerType, false).add("pixels", DataTypes.BinaryType, false),
                frame.schema());
        assertRowsAre(train, frame.collectAsList());
        assertRowsAre(test, spark.read().format("idx").option("set", "test").load(folder.toString()).collectAsList());
    }

    @Test
    void oneImagesFileFindsItsLabelsBesideIt(SparkSession spark) throws Exception {
        Path gz = IdxFixtures.writeMnistLayout(dir.resolve("gz"), train, test, true);
        assertRowsAre(test, spark.read().format("idx").load(gz.resolve(MnistFiles.TEST_IMAGES + ".gz").toString())
                .collectAsList());
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(folder.resolve(MnistFiles.TRAIN_IMAGES), other.resolve("digits.idx3"));
        Files.copy(folder.resolve(MnistFiles.TRAIN_LABELS), other.resolve("digits-labels.idx1"));
        assertRowsAre(train, spark.read().format("idx").option("labels", other.resolve("digits-labels.idx1").toString())
                .load(other.resolve("digits.idx3").toString()).collectAsList());
    }

    @Test
    void partitionsAreContiguousSlicesInFileOrder(SparkSession spark) {
        Dataset<Row> frame = spark.read().format("idx").option("partitions", "3").load(folder.toString());
        assertEquals(3, frame.rdd().getNumPartitions());
        List<Integer> sizes = frame.javaRDD().glom().map(List::size).collect();
        assertEquals(List.of(66, 67, 67), sizes, "rows [200·i/3, 200·(i+1)/3)");
        assertRowsAre(train, frame.collectAsList());
    }

    @Test
    void theFeaturesLayoutFeedsTheEstimator(SparkSession spark) {
        Dataset<Row> frame = spark.read().format("idx").option("layout", "features").load(folder.toString());
        assertEquals(DataTypes.DoubleType, frame.schema().apply("label").dataType());
        assertEquals(SQLDataTypes.VectorType(), frame.schema().apply("features").dataType());
        Row first = frame.first();
        assertEquals((double) train.labels()[0], first.getDouble(0));
        Vector v = first.getAs(1);
        assertEquals(64, v.size());
        for (int i = 0; i < 64; i++) {
            assertEquals(train.image(0)[i] & 0xff, v.apply(i), "raw pixel value " + i);
        }
        MiniBatchNetClassificationModel model = new MiniBatchNetClassifier().setHiddenLayers(16).setSteps(60)
                .setBatchSize(50).setLearningRate(0.5).setFeatureScale(1.0 / 255).setSeed(3).fit(frame);
        Dataset<Row> scored = model.transform(spark.read().format("idx").option("layout", "features").option("set", "test")
                .load(folder.toString()));
        double accuracy = scored.filter("prediction = label").count() / (double) test.count();
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy);
    }

    @Test
    void sqlCreatesATableUsingIdx(SparkSession spark) {
        spark.sql("CREATE TABLE idx_digits USING idx OPTIONS (path '" + folder + "', set 'test')");
        try {
            Row r = spark.sql("SELECT count(*), min(label), max(label), length(first(pixels)) FROM idx_digits").first();
            assertEquals(test.count(), r.getLong(0));
            assertEquals(0, r.getInt(1));
            assertEquals(3, r.getInt(2));
            assertEquals(64, r.getInt(3));
        } finally {
            spark.sql("DROP TABLE idx_digits");
        }
        assertTrue(Files.exists(folder.resolve(MnistFiles.TEST_IMAGES)), "dropping the table leaves the files");
    }

    @Test
    void brokenInputIsOneClearError(SparkSession spark) throws Exception {
        assertEquals("path " + dir.resolve("absent") + ": not found", assertThrows(UserError.class,
                () -> spark.read().format("idx").load(dir.resolve("absent").toString())).getMessage());
        assertEquals("idx data source: layout must be pixels or features (got vectors)", assertThrows(UserError.class,
                () -> spark.read().format("idx").option("layout", "vectors").load(folder.toString())).getMessage());
        Path alone = Files.createDirectories(dir.resolve("alone"));
        Files.copy(folder.resolve(MnistFiles.TRAIN_IMAGES), alone.resolve(MnistFiles.TRAIN_IMAGES));
        assertTrue(assertThrows(UserError.class, () -> spark.read().format("idx").load(alone.resolve(MnistFiles.TRAIN_IMAGES)
                .toString())).getMessage().contains(": no labels file "), "missing labels file");
        Path cut = Files.createDirectories(dir.resolve("cut"));
        byte[] images = Files.readAllBytes(folder.resolve(MnistFiles.TRAIN_IMAGES));
        Files.write(cut.resolve(MnistFiles.TRAIN_IMAGES), java.util.Arrays.copyOf(images, images.length - 10));
        Files.copy(folder.resolve(MnistFiles.TRAIN_LABELS), cut.resolve(MnistFiles.TRAIN_LABELS));
        String message = assertThrows(UserError.class, () -> spark.read().format("idx").load(cut.toString())).getMessage();
        assertTrue(message.startsWith("file:" + cut.resolve(MnistFiles.TRAIN_IMAGES) + ": "), message);
    }
}
