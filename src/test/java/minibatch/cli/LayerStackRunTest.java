package minibatch.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import minibatch.nn.layers.LayerNetwork;
import minibatch.testing.CliArgs;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import minibatch.testing.SubmitRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --layers}: a convolutional network with pooling, a dense layer and dropout trains
 * through the user's command, with the same weights in resident barrier steps and in one job per
 * step, run after run, and after a stop and {@code --resume}; its model is a layer stack that
 * {@code evaluate}, {@code predict} and the exported ONNX model use; a spec that does not fit is one error line.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerStackRunTest {
    private static final String SPEC = "conv3x3x6,relu,maxpool2,dense16,relu,dropout0.25";

    @TempDir
    static Path dir;
    Path data;

    @BeforeAll
    void writeData() throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 300, 60, 11); // 8x8 gray images, 4 classes
    }

    private List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(CliArgs.merged(List.of("--data", data.toString(), "--out", out.toString(), "--master", "local[2]",
                "--layers", SPEC, "--init", "he", "--optimizer", "adam", "--learning-rate", "0.01", "--batch-size", "30",
                "--steps", "40", "--seed", "5", "--partitions", "2", "--progress-seconds", "100"), extra)));
        return a;
    }

    private static JsonNode summary(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void barrierAndDataFrameStepsGiveTheSameWeightsRunAfterRunAndTheNetworkLearns() throws IOException {
        Path barrier = dir.resolve("barrier");
        Path again = dir.resolve("barrier-again");
        Path dataframe = dir.resolve("dataframe");
        for (Path out : List.of(barrier, again)) {
            CliRun r = CliRun.of(args(out, "--sampler", "barrier").toArray(String[]::new));
            assertEquals(0, r.status(), r.stderr());
            assertTrue(r.stdout().contains("network 8x8x1 conv3x3x6 relu maxpool2 dense16 relu dropout0.25 dense4 softmax"),
                    r.stdout());
        }
        assertEquals(0, CliRun.of(args(dataframe, "--sampler", "dataframe").toArray(String[]::new)).status());
        String weights = RunSummary.weightsSha256(barrier);
        assertEquals(weights, RunSummary.weightsSha256(again), "the same seed gives the same bits");
        assertEquals(weights, RunSummary.weightsSha256(dataframe), "resident steps give one job per step's bits");
        JsonNode s = summary(barrier);
        assertEquals(SPEC, s.at("/config/layers").asText());
        assertTrue(s.path("final_train_loss").asDouble() < 0.9 * Math.log(4),
                "the loss falls below chance's ln 4: " + s.path("final_train_loss"));
        assertTrue(s.path("final_test_accuracy").asDouble() > 0.5, "test accuracy " + s.path("final_test_accuracy"));
    }

    @Test
    void aStoppedRunResumesToTheStraightRunsWeights() throws IOException {
        Path straight = dir.resolve("straight");
        assertEquals(0, CliRun.of(args(straight).toArray(String[]::new)).status());
        Path stopped = dir.resolve("stopped");
        TrainCommand command = new TrainCommand();
        command.stop.request("test");
        List<String> a = args(stopped);
        assertEquals(TrainCommand.STOPPED, new picocli.CommandLine(command).execute(a.subList(1, a.size()).toArray(String[]::new)));
        assertTrue(Files.isDirectory(stopped.resolve("checkpoints/step-000000001")));
        CliRun resumed = CliRun.of(args(stopped, "--resume").toArray(String[]::new));
        assertEquals(0, resumed.status(), resumed.stderr());
        assertEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(stopped));
        CliRun otherSpec = CliRun.of(args(dir.resolve("stopped-2"), "--layers", "conv3x3x4,relu,maxpool2").toArray(String[]::new));
        assertEquals(0, otherSpec.status(), otherSpec.stderr());
        assertNotEquals(RunSummary.weightsSha256(straight), RunSummary.weightsSha256(dir.resolve("stopped-2")));
    }

    @Test
    void theModelIsALayerStackThatEvaluatePredictAndOnnxRuntimeUse(SparkSession spark) throws Exception {
        Path run = dir.resolve("for-model");
        assertEquals(0, CliRun.of(args(run).toArray(String[]::new)).status());
        SavedModel saved = ModelReader.readModelFolder(new org.apache.hadoop.fs.Path(run.resolve("model").toUri()),
                new Configuration());
        assertTrue(saved.shape() instanceof LayerNetwork, saved.shape().toString());
        assertEquals(SPEC, ((LayerNetwork) saved.shape()).spec());
        assertEquals(RunSummary.weightsSha256(run), minibatch.model.ParameterDigest.sha256(saved.params()));
        JsonNode meta = new ObjectMapper().readTree(run.resolve("model/data/model.json").toFile());
        assertEquals(2, meta.path("format_version").asInt());
        assertEquals("[8,8,1]", meta.path("input_shape").toString());

        Path evaluation = dir.resolve("evaluation.json");
        CliRun evaluated = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--out", evaluation.toString(), "--master", "local[2]");
        assertEquals(0, evaluated.status(), evaluated.stderr());
        JsonNode e = new ObjectMapper().readTree(evaluation.toFile());
        assertEquals(summary(run).path("final_test_accuracy").asDouble(), e.path("accuracy").asDouble(), 1e-12);

        Path predictions = dir.resolve("predictions");
        CliRun predicted = CliRun.of("predict", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--output", predictions.toString(), "--master", "local[2]");
        assertEquals(0, predicted.status(), predicted.stderr());
        assertTrue(predicted.stdout().contains("wrote 60 predictions"), predicted.stdout());

        // the exported ONNX model gives predict's probabilities and labels
        CliRun exported = CliRun.of("export", "--model", run.toString());
        assertEquals(0, exported.status(), exported.stderr());
        List<Row> rows = spark.read().parquet(predictions.toString()).orderBy("index").collectAsList();
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(360, 8, 8, 4, 11);
        float[][] features = new float[60][64];
        for (int r = 0; r < 60; r++) {
            byte[] image = all.image(300 + r);
            for (int i = 0; i < 64; i++) {
                features[r][i] = image[i] & 0xff;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double maxDelta = 0;
        try (OrtSession session = env.createSession(run.resolve("model.onnx").toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, features);
                OrtSession.Result result = session.run(Map.of("features", input))) {
            float[][] probability = (float[][]) result.get("probability").orElseThrow().getValue();
            long[] label = (long[]) result.get("label").orElseThrow().getValue();
            for (int r = 0; r < 60; r++) {
                assertEquals(rows.get(r).<Integer>getAs("prediction").longValue(), label[r], "row " + r);
                for (int k = 0; k < 4; k++) {
                    maxDelta = Math.max(maxDelta, Math.abs(rows.get(r).<Double>getAs("prob_" + k) - probability[r][k]));
                }
            }
        }
        assertTrue(maxDelta <= 1e-5, "max |probability difference| " + maxDelta);
    }

    @Test
    void aSpecThatDoesNotFitIsOneLineInProcessAndThroughSubmit() throws Exception {
        CliRun.of(args(dir.resolve("bad-1"), "--layers", "conv3x3x4,relu,maxpol2").toArray(String[]::new))
                .assertOneError("error: --layers: layer 3 'maxpol2': expected conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], "
                        + "dense<N>, dropout<P>, sigmoid, relu, tanh or step");
        String tooLarge = "error: --layers: layer 1 'conv9x9x4': its input is 8x8x1, smaller than the 9x9 kernel "
                + "(the images are 8x8x1)";
        CliRun misfit = CliRun.of(args(dir.resolve("bad-2"), "--layers", "conv9x9x4").toArray(String[]::new));
        misfit.assertOneError(tooLarge);
        assertEquals("", misfit.stdout(), "local IDX headers give the images' size before Spark starts");
        CliRun.of(args(dir.resolve("bad-3"), "--hidden", "20").toArray(String[]::new))
                .assertOneError("error: --layers replaces --hidden and --activation: give one or the other");
        CliRun.of(args(dir.resolve("bad-4"), "--dropout", "0.2").toArray(String[]::new))
                .assertOneError("error: --dropout drops units of --hidden layers; in --layers, dropout is a layer "
                        + "(e.g. dense128,relu,dropout0.5)");
        SubmitRun.Launcher.in(dir.resolve("launcher")).run(dir.resolve("outputs"),
                args(dir.resolve("bad-5"), "--layers", "conv9x9x4").toArray(String[]::new)).assertOneError(tooLarge);
        assertTrue(List.of("bad-1", "bad-2", "bad-3", "bad-4", "bad-5").stream().noneMatch(d -> Files.exists(dir.resolve(d))),
                "nothing written");
    }
}
