package minibatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import minibatch.nn.Backprop;
import minibatch.nn.Pixels;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LocalSpark.class)
class EvaluateCommandTest {
    @TempDir
    Path dir;

    @Test
    void confusionMatrixMatchesAHandCount(SparkSession spark) throws IOException {
        ImageSet train = IdxFixtures.synthetic(300, 8, 8, 4, 41);
        ImageSet test = IdxFixtures.synthetic(57, 8, 8, 4, 42);
        Path data = IdxFixtures.writeMnistLayout(dir.resolve("data"), train, test, true);
        Path run = dir.resolve("run");
        assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", run.toString(),
                "--master", "local[2]", "--hidden", "8", "--classes", "4", "--batch-size", "20", "--steps", "30"));
        Path json = dir.resolve("eval.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "evaluate", "--model",
                run.resolve("model").toString(), "--data", data.toString(), "--out", json.toString(), "--master",
                "local[2]", "--partitions", "3"), err.toString());

        // the same count on the driver, row by row, with the saved weights
        SavedModel model = ModelReader.readModelFolder(new org.apache.hadoop.fs.Path(run.resolve("model").toUri()), new Configuration());
        long[][] expected = new long[4][4];
        Backprop pass = new Backprop((minibatch.nn.NetworkShape) model.shape());
        for (int r = 0; r < test.count(); r++) {
            Pixels.scale(test.image(r), pass.input());
            pass.forward(model.params());
            expected[test.labels()[r]][pass.predictedClass()]++;
        }
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        long right = 0;
        for (int a = 0; a < 4; a++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(expected[a][p], result.at("/confusion_matrix/" + a + "/" + p).asLong(), "cell " + a + "," + p);
            }
            right += expected[a][a];
        }
        assertEquals(57, result.get("rows").asLong());
        assertEquals((double) right / 57, result.get("accuracy").asDouble(), 1e-15);
        assertEquals(4, result.get("classes").size());
        assertFalse(Files.exists(dir.resolve(".eval.json.tmp")));
    }

    /** Runs evaluate on {@code model}; asserts exit 2, one line and no output file; returns the line. */
    private String refused(String model) {
        Path out = dir.resolve("refused-" + model + ".json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "evaluate", "--model",
                dir.resolve(model).toString(), "--master", "local[2]", "--out", out.toString());
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, status, text);
        assertEquals(1, text.lines().count(), text);
        assertFalse(Files.exists(out));
        return text;
    }

    @Test
    void aMissingModelIsAUserError() {
        String text = refused("nope");
        assertTrue(text.startsWith("error: " + dir.resolve("nope")) && text.contains("not a model folder"), text);
    }

    @Test
    void aSparkModelOfAnotherClassIsRefused() throws IOException {
        Path other = Files.createDirectories(dir.resolve("lr-model/metadata"));
        Files.writeString(other.resolve("part-00000"),
                "{\"class\":\"org.apache.spark.ml.classification.LogisticRegressionModel\",\"uid\":\"lr_1\"}\n");
        String text = refused("lr-model");
        assertTrue(text.contains("holds a model of class 'org.apache.spark.ml.classification.LogisticRegressionModel', "
                + "not minibatch.ml.MiniBatchNetClassificationModel"), text);
    }

    @Test
    void aModelTrainedOnOtherFeatureScalesIsRefused() throws IOException {
        Path meta = Files.createDirectories(dir.resolve("scaled-model/metadata"));
        Files.writeString(meta.resolve("part-00000"), "{\"class\":\"minibatch.ml.MiniBatchNetClassificationModel\","
                + "\"uid\":\"m\",\"paramMap\":{\"featureScale\":1.0}}\n");
        String text = refused("scaled-model");
        assertTrue(text.contains("the model expects features scaled by 1.0; the command line feeds pixel values / 255"), text);
    }
}
