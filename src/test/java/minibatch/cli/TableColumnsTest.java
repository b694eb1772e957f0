package minibatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import minibatch.testing.CliRun;
import minibatch.testing.LocalSpark;
import minibatch.testing.SubmitRun;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table inputs take the label and the pixel columns by their documented names and refuse any other
 * column with one line naming it, in-process and through {@code ./submit.sh}; {@code --replicate} on
 * images whose height the table does not give is one error line.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableColumnsTest {
    private static final String ROWS = "1,0,255,3,4\n0,9,8,7,6\n1,1,250,2,5\n0,8,9,6,7\n";
    private static final String GOOD = "label,p0,p1,p2,p3\n" + ROWS;

    @TempDir
    static Path dir;

    @BeforeAll
    void writeInputs(SparkSession spark) throws IOException {
        csv("id-csv", "id,label,p0,p1,p2,p3\n" + ROWS.replaceAll("(?m)^", "7,"));
        csv("index-csv", ",label,p0,p1,p2,p3\n" + ROWS.replaceAll("(?m)^", "3,"));
        csv("stray-csv", "label,pixel0,pixel1,pixel2,x7\n" + ROWS);
        csv("kaggle-csv", "label,pixel0,pixel1,pixel2,pixel3\n" + ROWS);
        csv("row-by-column-csv", "label,1x1,1x2,2x1,2x2\n" + ROWS);
        csv("numbers-csv", "label,0,1,2,3\n" + ROWS);
        csv("headerless-csv", ROWS);
        csv("five-pixels-csv", "label,p0,p1,p2,p3,p4\n1,0,255,3,4,5\n0,9,8,7,6,5\n");
        StructType fold = new StructType().add("label", DataTypes.IntegerType).add("fold", DataTypes.IntegerType);
        StructType pixelColumns = new StructType().add("label", DataTypes.IntegerType);
        for (int i = 0; i < 4; i++) {
            fold = fold.add("pixel" + i, DataTypes.IntegerType);
            pixelColumns = pixelColumns.add("pixel" + i, DataTypes.IntegerType);
        }
        parquet(spark, "fold-parquet", spark.createDataFrame(List.of(RowFactory.create(1, 2, 0, 255, 3, 4),
                RowFactory.create(0, 2, 9, 8, 7, 6)), fold));
        parquet(spark, "pixel-columns-parquet", spark.createDataFrame(List.of(RowFactory.create(1, 0, 255, 3, 4),
                RowFactory.create(0, 9, 8, 7, 6)), pixelColumns));
        StructType vectorAndId = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.DoubleType)
                .add("features", SQLDataTypes.VectorType());
        parquet(spark, "vector-id-parquet", spark.createDataFrame(List.of(
                RowFactory.create(5L, 1.0, Vectors.dense(0, 255, 3, 4)), RowFactory.create(6L, 0.0, Vectors.dense(9, 8, 7, 6))),
                vectorAndId));
    }

    private static void csv(String name, String train) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("train.csv"), train);
        Files.writeString(folder.resolve("test.csv"), train.startsWith("label,p0,p1,p2,p3,p4") ? train : GOOD);
    }

    private static void parquet(SparkSession spark, String name, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> train)
            throws IOException {
        train.coalesce(1).write().parquet(dir.resolve(name).resolve("train.parquet").toString());
        Files.writeString(dir.resolve(name).resolve("test.csv"), GOOD);
    }

    private static String[] train(String input, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", dir.resolve(input).toString(), "--out",
                dir.resolve("out-" + input).toString(), "--hidden", "3", "--batch-size", "2", "--steps", "4"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "id-csv|id-csv/train.csv: column 'id' (column 1 of the header) is neither the label nor a pixel column",
        "index-csv|index-csv/train.csv: column '' (column 1 of the header) is neither the label nor a pixel column",
        "stray-csv|stray-csv/train.csv: column 'x7' (column 5 of the header) is neither the label nor a pixel column",
        "fold-parquet|fold-parquet/train.parquet: column 'fold' (int) is neither the label nor a pixel column",
        "vector-id-parquet|vector-id-parquet/train.parquet: column 'id' (bigint) is neither the label nor a pixel column",
    })
    void aColumnThatIsNeitherLabelNorPixelIsOneErrorNamingIt(String input, String expected) {
        CliRun r = CliRun.of(train(input));
        assertEquals(2, r.status(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("error: file:") && r.stderr().contains(expected), r.stderr());
        assertTrue(r.stderr().endsWith("pixel columns are one 'features' or 'pixels' vector, binary or array, or columns "
                + "named one prefix and a number (pixel0, pixel1, ...) or RxC; leave other columns out of the table"), r.stderr());
        assertFalse(Files.exists(dir.resolve("out-" + input)), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kaggle-csv", "row-by-column-csv", "numbers-csv", "headerless-csv", "pixel-columns-parquet"})
    void theDocumentedLayoutsTrainOnFourPixels(String input) {
        CliRun r = CliRun.of(train(input));
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("network [4, 3, 2]"), r.stdout());
    }

    @Test
    void replicatingImagesOfUnknownHeightIsOneError() {
        CliRun.of(train("five-pixels-csv", "--replicate", "2")).assertOneError("error: --replicate 2: file:"
                + dir.resolve("five-pixels-csv/train.csv") + " holds images of 5 pixels, not a square, and does not give "
                + "their height, so they cannot be shifted; --replicate needs IDX, image folders, hub Parquet or square images");
        assertFalse(Files.exists(dir.resolve("out-five-pixels-csv")), "nothing written");
    }

    @Test
    void throughSubmitShAStrayColumnIsTheSameOneLine() throws Exception {
        CliRun inProcess = CliRun.of(train("id-csv"));
        SubmitRun.Launcher.withSparkHome(dir.resolve("submit")).run(dir.resolve("submit"), train("id-csv"))
                .assertErrorLine(inProcess.stderr());
        assertFalse(Files.exists(dir.resolve("out-id-csv")), "nothing written");
    }
}
