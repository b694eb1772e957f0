package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken CSV and Parquet inputs end with one {@code error:} line, exit status 2 and no output,
 * whichever executor found the bad row.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableInputHostileTest {
    private static final String GOOD = "label,p0,p1,p2,p3\n1,0,255,3,4\n0,9,8,7,6\n";

    @TempDir
    static Path dir;

    @BeforeAll
    void writeInputs(SparkSession spark) throws IOException {
        csv("columns", GOOD + "1,2,3,4\n");
        csv("text", GOOD + "1,2,x,4,5\n");
        csv("nan", GOOD + "1,2,NaN,4,5\n");
        csv("pixel", GOOD + "1,2,256,4,5\n");
        csv("fraction", GOOD + "1,2,0.5,4,5\n");
        csv("label", GOOD + "-1,2,3,4,5\n");
        csv("empty", "label,p0,p1,p2,p3\n");
        csv("unlabelled", "p0,p1,p2,p3\n0,255,3,4\n");
        Files.createDirectories(dir.resolve("none"));
        Files.createDirectories(dir.resolve("dir-csv/train.csv/nested"));
        Files.writeString(dir.resolve("dir-csv/test.csv"), GOOD);
        Files.createDirectories(dir.resolve("widths"));
        Files.writeString(dir.resolve("widths/train.csv"), GOOD);
        Files.writeString(dir.resolve("widths/test.csv"), "label,p0,p1\n1,0,255\n");
        StructType strings = new StructType().add("name", DataTypes.StringType).add("note", DataTypes.StringType);
        parquet("schema", spark.createDataFrame(List.of(RowFactory.create("a", "b")), strings));
        StructType good = new StructType().add("label", DataTypes.IntegerType, true)
                .add("pixels", DataTypes.createArrayType(DataTypes.IntegerType), true);
        parquet("rows", spark.createDataFrame(List.<Row>of(), good));
        parquet("null", spark.createDataFrame(List.of(RowFactory.create(1, new Integer[] {1, 2}),
                RowFactory.create(null, new Integer[] {3, 4})), good));
        parquet("big", spark.createDataFrame(List.of(RowFactory.create(1, new Integer[] {1, 300})), good));
        // a gzip file cut in half: its first line reads, the rest fails inside Spark's reader
        StringBuilder big = new StringBuilder("label,p0,p1,p2,p3\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int r = 0; r < 20_000; r++) {
            big.append(rng.nextInt(3)).append(',').append(rng.nextInt(256)).append(',').append(rng.nextInt(256)).append(',')
                    .append(rng.nextInt(256)).append(',').append(rng.nextInt(256)).append('\n');
        }
        byte[] gz = IdxFixtures.gzip(big.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("truncated"));
        Files.write(dir.resolve("truncated/train.csv.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.writeString(dir.resolve("truncated/test.csv"), GOOD);
        Files.createDirectories(dir.resolve("libsvm"));
        Files.writeString(dir.resolve("libsvm/train.libsvm"), "1 1:3 4:255\n0 2:9 x:1\n");
        Files.writeString(dir.resolve("libsvm/test.libsvm"), "1 1:3 4:255\n");
        Files.createDirectories(dir.resolve("libsvm-order"));
        Files.writeString(dir.resolve("libsvm-order/train.libsvm"), "1 3:3 2:255\n");
        Files.writeString(dir.resolve("libsvm-order/test.libsvm"), "1 1:3 4:255\n");
        csv("gap", GOOD + "3,1,2,3,4\n"); // labels 0, 1 and 3: no 2
        csv("unseen", GOOD);
        Files.writeString(dir.resolve("unseen/test.csv"), GOOD + "2,5,5,5,5\n"); // label 2: never in training
        idx("idx-gap", new byte[] {0, 1, 3, 1}, new byte[] {0, 1});
        idx("idx-unseen", new byte[] {0, 1, 1, 0}, new byte[] {0, 1, 0, 2});
        Files.createDirectories(dir.resolve("notparquet/train.parquet"));
        Files.writeString(dir.resolve("notparquet/train.parquet/part-0.parquet"), "this is not parquet");
        Files.writeString(dir.resolve("notparquet/test.csv"), GOOD);
    }

    private static void csv(String name, String train) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("train.csv"), train);
        Files.writeString(folder.resolve("test.csv"), GOOD);
    }

    private static void idx(String name, byte[] trainLabels, byte[] testLabels) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        IdxFixtures.writeMnistLayout(folder,
                new IdxFixtures.ImageSet(2, 2, new byte[trainLabels.length * 4], trainLabels),
                new IdxFixtures.ImageSet(2, 2, new byte[testLabels.length * 4], testLabels), false);
    }

    /** A broken train.parquet beside a good test set: the defect under test is the training file's. */
    private static void parquet(String name, org.apache.spark.sql.Dataset<Row> train) throws IOException {
        train.coalesce(1).write().parquet(dir.resolve(name).resolve("train.parquet").toString());
        Files.writeString(dir.resolve(name).resolve("test.csv"), GOOD);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "columns|train.csv: a row has 4 columns, expected 5",
        "text|train.csv: column 3 holds 'x', not a number",
        "nan|train.csv: column 3 of \"1,2,NaN,4,5\" holds NaN, not a pixel value",
        "pixel|train.csv: column 3 of \"1,2,256,4,5\" holds 256.0, not a pixel value (an integer 0..255)",
        "fraction|holds 0.5, not a pixel value",
        "label|train.csv: column 1 holds -1.0, not a class label",
        "empty|train.csv: holds no rows",
        "unlabelled|train.csv: has no label column",
        "none|holds no train set (expected the MNIST IDX files, train.csv, train.parquet, train.libsvm, train/<class>/ image folders or train-*.parquet)",
        "dir-csv|train.csv: holds no rows",
        "widths|images are 2x2 but",
        "schema|train.parquet: no pixel columns: expected a 'features' vector, a 'pixels' binary or numeric array, "
                + "or numeric pixel columns (found name string, note string)",
        "rows|train.parquet: holds no rows",
        "null|train.parquet",
        "big|train.parquet",
        "notparquet|part-0.parquet: not a Parquet file (it does not start and end with PAR1)",
        "truncated|(Unexpected end of input stream)",
        "libsvm|train.libsvm: not a LibSVM line (label index:value ...): \"0 2:9 x:1\"",
        "libsvm-order|train.libsvm: indices must be 1-based and ascending: \"1 3:3 2:255\"",
        "gap|gap/train.csv: row 2 has label 3, but no row of ",
        "gap|has label 2: the classes have a gap; give --classes N if that is intended",
        "unseen|unseen/test.csv: row 2 has label 2, which no training row in ",
        "idx-gap|idx-gap/train-labels-idx1-ubyte: record 2 has label 3, but no row of ",
        "idx-unseen|idx-unseen/t10k-labels-idx1-ubyte: record 3 has label 2, which no training row in ",
    })
    void brokenTablesGiveOneErrorLineExitTwoAndNoOutput(String input, String expected) {
        Path out = dir.resolve("out-" + input);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "train", "--data",
                dir.resolve(input).toString(), "--out", out.toString(), "--master", "local[2]", "--hidden", "3",
                "--batch-size", "1", "--steps", "2");
        String stderr = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, status, stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("error: "), stderr);
        assertTrue(stderr.contains(expected), "expected '" + expected + "' in: " + stderr);
        assertFalse(Files.exists(out), "output written for a user mistake");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gap,4", "unseen,3", "idx-gap,4", "idx-unseen,3"})
    void statedClassesAllowAGapOrAnUnseenTestLabel(String input, int classes) {
        Path out = dir.resolve("stated-" + input);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "train", "--data",
                dir.resolve(input).toString(), "--out", out.toString(), "--master", "local[2]", "--hidden", "3",
                "--batch-size", "1", "--steps", "2", "--classes", Integer.toString(classes));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(out.resolve("summary.json")));
    }
}
