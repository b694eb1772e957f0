package minibatch.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exported model, run by ONNX Runtime, gives the probabilities (|Δ| ≤ 1e-5) and labels (identical)
 * that the Spark model and the command line give on the same rows: every activation, 1 and 3 hidden
 * layers, raw pixels (scale 1/255 inside the graph) and features taken as they are (scale 1).
 */
class OnnxExportTest {
    private static final int ROWS = 300;

    @ParameterizedTest(name = "{0}, hidden {1}, feature scale {2}")
    @CsvSource({
        "sigmoid, 32, pixels", "relu, 32, pixels", "tanh, 32, pixels", "step, 32, pixels",
        "sigmoid, 24-16-12, pixels", "relu, 24-16-12, pixels", "tanh, 24-16-12, pixels", "step, 24-16-12, pixels",
        "relu, 24-16-12, one", "sigmoid, 32, one"})
    void onnxRuntimeGivesTheModelsPredictions(String activation, String hidden, String scale) throws OrtException {
        int inputs = 49;
        int classes = 7;
        NetworkShape shape = NetworkShape.of(inputs, Arrays.stream(hidden.split("-")).mapToInt(Integer::parseInt).toArray(),
                classes, Activation.parse(activation));
        SplittableRandom rng = new SplittableRandom(activation.hashCode() * 31L + hidden.hashCode());
        double[] params = new double[shape.parameterCount()];
        for (int l = 0; l < shape.layers(); l++) {
            // weights of a trained network's size, so that probabilities are spread and not all 1/classes;
            // and a larger output layer, so that labels spread over the classes
            double std = (l == shape.layers() - 1 ? 12.0 : 3.0) / Math.sqrt(shape.size(l));
            for (int i = shape.weightOffset(l); i < shape.biasOffset(l) + shape.size(l + 1); i++) {
                params[i] = std * rng.nextGaussian();
            }
            if (l > 0) {
                // sigmoid and step give values around 0.5: centre each unit's input, or every row looks alike above
                for (int j = 0; j < shape.size(l + 1); j++) {
                    double sum = 0;
                    for (int i = 0; i < shape.size(l); i++) {
                        sum += params[shape.weightOffset(l) + i * shape.size(l + 1) + j];
                    }
                    params[shape.biasOffset(l) + j] = -0.5 * sum;
                }
            }
        }
        boolean pixels = scale.equals("pixels");
        double featureScale = pixels ? Pixels.SCALE : 1.0;
        float[][] features = new float[ROWS][inputs];
        for (float[] row : features) {
            for (int i = 0; i < inputs; i++) {
                // pixels: 0..255 with most zero, as MNIST; features: any reals
                row[i] = pixels ? (rng.nextDouble() < 0.6 ? 0 : rng.nextInt(256)) : (float) rng.nextGaussian();
            }
        }

        var onnx = OnnxExport.toOnnx(new SavedModel(shape, params), featureScale);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] probability;
        long[] label;
        try (OrtSession session = env.createSession(onnx.toByteArray(), new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of("features"), session.getInputNames());
            assertEquals(java.util.Set.of("probability", "label"), session.getOutputNames());
            TensorInfo in = (TensorInfo) session.getInputInfo().get("features").getInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, in.type);
            assertArrayEquals(new long[] {-1, inputs}, in.getShape());
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, ((TensorInfo) outputs.get("probability").getInfo()).type);
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64, ((TensorInfo) outputs.get("label").getInfo()).type);
            try (OnnxTensor input = OnnxTensor.createTensor(env, features);
                    OrtSession.Result result = session.run(Map.of("features", input))) {
                probability = (float[][]) result.get("probability").orElseThrow().getValue();
                label = (long[]) result.get("label").orElseThrow().getValue();
            }
        }

        MiniBatchNetClassificationModel model = MiniBatchNetClassificationModel.ofPixels(shape, params).setFeatureScale(featureScale);
        Backprop commandLine = new Backprop(shape);
        double maxDelta = 0;
        int distinctLabels = (int) Arrays.stream(label).distinct().count();
        for (int r = 0; r < ROWS; r++) {
            double[] row = new double[inputs];
            for (int i = 0; i < inputs; i++) {
                row[i] = features[r][i];
            }
            Vector spark = model.predictProbability(Vectors.dense(row));
            assertEquals(model.predict(Vectors.dense(row)), label[r], "row " + r + " label");
            for (int k = 0; k < classes; k++) {
                maxDelta = Math.max(maxDelta, Math.abs(spark.apply(k) - probability[r][k]));
            }
            if (pixels) {
                byte[] raw = new byte[inputs];
                for (int i = 0; i < inputs; i++) {
                    raw[i] = (byte) features[r][i];
                }
                Pixels.scale(raw, commandLine.input());
                double[] cli = commandLine.forward(params);
                assertEquals(commandLine.predictedClass(), label[r], "row " + r + " label (command line)");
                for (int k = 0; k < classes; k++) {
                    maxDelta = Math.max(maxDelta, Math.abs(cli[k] - probability[r][k]));
                }
            }
        }
        assertTrue(maxDelta <= 1e-5, "max |Δ probability| " + maxDelta);
        assertTrue(distinctLabels >= 3, "labels spread over classes: " + distinctLabels);
        System.out.printf("%s %s %s: max |Δ probability| %.2e over %d rows, %d labels%n", activation, hidden, scale, maxDelta,
                ROWS, distinctLabels);
    }
}
