package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import minibatch.nn.Backprop;
import minibatch.nn.Pixels;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LocalSpark.class)
class PredictCommandTest {
    @TempDir
    Path dir;

    @Test
    void parquetAndCsvHoldEveryRowsPredictionInOrder(SparkSession spark) throws IOException {
        ImageSet test = IdxFixtures.synthetic(45, 8, 8, 4, 52);
        Path data = IdxFixtures.writeMnistLayout(dir.resolve("data"), IdxFixtures.synthetic(200, 8, 8, 4, 51), test, false);
        Path run = dir.resolve("run");
        assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", run.toString(),
                "--master", "local[2]", "--hidden", "8", "--classes", "4", "--batch-size", "20", "--steps", "20"));
        SavedModel model = ModelReader.readModelFolder(new org.apache.hadoop.fs.Path(run.resolve("model").toUri()), new Configuration());

        for (String format : List.of("parquet", "csv")) {
            Path out = dir.resolve("pred-" + format);
            assertEquals(0, Main.execute(System.err, "predict", "--model", run.resolve("model").toString(), "--input",
                    data.toString(), "--output", out.toString(), "--output-format", format, "--master", "local[2]"));
            var reader = spark.read();
            List<Row> rows = (format.equals("csv") ? reader.option("header", "true").option("inferSchema", "true")
                    .csv(out.toString()) : reader.parquet(out.toString())).orderBy("index").collectAsList();
            assertEquals(45, rows.size());
            Backprop pass = new Backprop((minibatch.nn.NetworkShape) model.shape());
            for (int r = 0; r < 45; r++) {
                Row row = rows.get(r);
                assertEquals(r, ((Number) row.getAs("index")).longValue());
                assertEquals(test.labels()[r], ((Number) row.getAs("label")).intValue());
                Pixels.scale(test.image(r), pass.input());
                double[] probs = pass.forward(model.params());
                assertEquals(pass.predictedClass(), ((Number) row.getAs("prediction")).intValue(), format + " row " + r);
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    double p = ((Number) row.getAs("prob_" + k)).doubleValue();
                    assertEquals(probs[k], p, 1e-12, format + " row " + r + " prob_" + k);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-9);
            }
        }
        // Kaggle's test.csv: a header of pixel names and no label column
        StringBuilder kaggle = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            kaggle.append(i == 0 ? "" : ",").append("pixel").append(i);
        }
        kaggle.append('\n');
        for (int r = 0; r < 3; r++) {
            byte[] image = test.image(r);
            for (int i = 0; i < 64; i++) {
                kaggle.append(i == 0 ? "" : ",").append(image[i] & 0xFF);
            }
            kaggle.append('\n');
        }
        Path csv = Files.writeString(dir.resolve("kaggle-test.csv"), kaggle.toString());
        Path unlabelled = dir.resolve("pred-unlabelled");
        assertEquals(0, Main.execute(System.err, "predict", "--model", run.resolve("model").toString(), "--input",
                csv.toString(), "--output", unlabelled.toString(), "--master", "local[2]"));
        List<Row> predicted = spark.read().parquet(unlabelled.toString()).orderBy("index").collectAsList();
        assertEquals(3, predicted.size());
        Backprop pass = new Backprop((minibatch.nn.NetworkShape) model.shape());
        for (int r = 0; r < 3; r++) {
            assertTrue(predicted.get(r).isNullAt(predicted.get(r).fieldIndex("label")), "no label in the input");
            Pixels.scale(test.image(r), pass.input());
            pass.forward(model.params());
            assertEquals(pass.predictedClass(), ((Number) predicted.get(r).getAs("prediction")).intValue());
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int again = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "predict", "--model",
                run.resolve("model").toString(), "--input", data.toString(), "--output", dir.resolve("pred-csv").toString(),
                "--master", "local[2]");
        assertEquals(2, again);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: --output " + dir.resolve("pred-csv")
                + ": exists (use --overwrite to replace it)"), err.toString());
    }
}
