package minibatch.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.ReadmeSnippet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export --to onnx} of a trained run: ONNX Runtime, fed the test set's raw pixels, gives the
 * probabilities and labels that {@code predict} wrote for the same rows; the Spark model's
 * {@code exportOnnx} writes the same bytes, the README's serving example compiles and gives the same
 * labels; mistakes are one error line.
 */
@ExtendWith(LocalSpark.class)
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void anExportedRunPredictsWhatPredictWrote(SparkSession spark) throws Exception {
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(340, 8, 8, 4, 21);
        int w = 64;
        int testCount = 40;
        IdxFixtures.ImageSet train = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 0, 300 * w),
                java.util.Arrays.copyOfRange(all.labels(), 0, 300));
        IdxFixtures.ImageSet test = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 300 * w, 340 * w),
                java.util.Arrays.copyOfRange(all.labels(), 300, 340));
        Path data = IdxFixtures.writeMnistLayout(dir.resolve("data"), train, test, false);
        Path run = dir.resolve("run");
        assertEquals(0, CliRun.of("train", "--data", data.toString(), "--out", run.toString(), "--hidden", "16,8",
                "--activation", "tanh", "--steps", "60", "--batch-size", "20", "--progress-seconds", "100").status());
        CliRun export = CliRun.of("export", "--model", run.toString());
        assertEquals(0, export.status(), export.stderr());
        Path onnx = run.resolve("model.onnx");
        assertTrue(export.stdout().startsWith("wrote " + onnx + ": ONNX opset 17"), export.stdout());
        assertFalse(Files.exists(run.resolve(".model.onnx.crc")), "no checksum file beside it");
        Path predictions = dir.resolve("predictions");
        assertEquals(0, CliRun.of("predict", "--model", run.toString(), "--data", data.toString(), "--output",
                predictions.toString()).status());
        List<Row> rows = spark.read().parquet(predictions.toString()).orderBy("index").collectAsList();
        assertEquals(testCount, rows.size());

        float[][] features = new float[testCount][w];
        for (int r = 0; r < testCount; r++) {
            byte[] image = test.image(r);
            for (int i = 0; i < w; i++) {
                features[r][i] = image[i] & 0xff;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double maxDelta = 0;
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, features);
                OrtSession.Result result = session.run(Map.of("features", input))) {
            float[][] probability = (float[][]) result.get("probability").orElseThrow().getValue();
            long[] label = (long[]) result.get("label").orElseThrow().getValue();
            for (int r = 0; r < testCount; r++) {
                Row row = rows.get(r);
                assertEquals(row.<Integer>getAs("prediction").longValue(), label[r], "row " + r);
                for (int k = 0; k < 4; k++) {
                    maxDelta = Math.max(maxDelta, Math.abs(row.<Double>getAs("prob_" + k) - probability[r][k]));
                }
            }
        }
        assertTrue(maxDelta <= 1e-5, "max |Δ probability| " + maxDelta);
        // the README's serving example gives the same labels
        long[] served = (long[]) ReadmeSnippet.compile("ServeOnnx.java", dir.resolve("snippet"))
                .getMethod("classify", String.class, float[][].class).invoke(null, onnx.toString(), features);
        for (int r = 0; r < testCount; r++) {
            assertEquals(rows.get(r).<Integer>getAs("prediction").longValue(), served[r], "README example, row " + r);
        }

        Path fromSpark = dir.resolve("from-spark.onnx");
        MiniBatchNetClassificationModel.load(run.resolve("model").toString()).exportOnnx(fromSpark.toString());
        assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(fromSpark), "the Spark model exports the same file");

        CliRun again = CliRun.of("export", "--model", run.toString());
        again.assertOneError("error: --out " + onnx + ": exists "
                + "(use --overwrite to replace it)");
        assertEquals(0, CliRun.of("export", "--model", run.toString(), "--overwrite").status());
        CliRun.of("export", "--model", run.toString(), "--to", "tflite").assertOneError("error: --to must be onnx (got tflite)");
        CliRun.of("export", "--model", dir.resolve("nothing").toString())
                .assertOneError("error: " + dir.resolve("nothing") + ": not a model folder (no metadata/; expected a run's model/ folder)");
        CliRun.of("export", "--model", run.toString(), "--out", dir.toString())
                .assertOneError("error: --out " + dir + ": is a folder; give a file name");
    }
}
