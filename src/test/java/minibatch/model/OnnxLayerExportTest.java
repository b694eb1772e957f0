package minibatch.model;

import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.model.onnx.OnnxIr.ModelProto;
import minibatch.model.onnx.OnnxIr.NodeProto;
import minibatch.model.onnx.OnnxIr.StringStringEntryProto;
import minibatch.model.onnx.OnnxIr.TensorProto;
import minibatch.nn.Activation;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerInitializer;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerPass;
import minibatch.nn.layers.LayerSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network of layers, exported and run by ONNX Runtime on raw pixels 0..255 (scale 1/255 inside the
 * graph), gives {@link LayerPass#forward}'s probabilities (|Δ| ≤ 1e-5: its convolutions run in
 * float32) and the index of their largest as the label, for the textbook CNN, a strided padded
 * convolution with overlapping odd pooling on a 3-channel non-square image, and dropout (no node);
 * a spec of dense layers gives exactly what the dense export gives.
 */
class OnnxLayerExportTest {
    private static final int ROWS = 64;

    @Test
    void textbookCnnGivesThePassProbabilities() throws OrtException {
        LayerNetwork network = network("conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2", "28x28x1", 10);
        float[][] pixels = pixels(network.input().size(), 11);
        double[] params = params(network, 1.5, pixels);
        ModelProto onnx = OnnxExport.toOnnx(network, params, Pixels.SCALE);

        assertEquals(List.of("Cast", "Mul", "Reshape", "Transpose", "Cast", "Conv", "Cast", "Relu", "MaxPool",
                "Cast", "Conv", "Cast", "Relu", "MaxPool", "Transpose", "Flatten", "Gemm", "Softmax", "Cast", "ArgMax"),
                ops(onnx));
        assertEquals(List.of(16L, 1L, 5L, 5L), initializer(onnx, "l0_W").getDimsList());
        assertEquals(List.of(32L, 16L, 5L, 5L), initializer(onnx, "l3_W").getDimsList());
        assertEquals(List.of(512L, 10L), initializer(onnx, "l6_W").getDimsList());
        assertEquals("28x28x1 conv5x5x16 relu maxpool2 conv5x5x32 relu maxpool2 dense10 softmax", metadata(onnx, "layers"));
        assertEquals(ParameterDigest.sha256(params), metadata(onnx, "weights_sha256"));
        assertMatchesPass(network, params, onnx, pixels);
    }

    @Test
    void stridePaddingAndOverlappingOddPoolingOnThreeChannels() throws OrtException {
        LayerNetwork network = network("conv3x3x4s2p1,tanh,maxpool3s2,dense12,sigmoid", "13x11x3", 6);
        // 13x11 padded to 15x13, stride 2: 7x6x4; windows of 3 at stride 2 overlap and floor: 3x2x4
        assertEquals(new ImageShape(3, 2, 4), network.layers().get(2).output());
        float[][] pixels = pixels(network.input().size(), 12);
        double[] params = params(network, 2.0, pixels);
        ModelProto onnx = OnnxExport.toOnnx(network, params, Pixels.SCALE);

        NodeProto conv = node(onnx, "Conv");
        assertEquals("kernel_shape=[3, 3] strides=[2, 2] pads=[1, 1, 1, 1]", attributes(conv));
        assertEquals("kernel_shape=[3, 3] strides=[2, 2]", attributes(node(onnx, "MaxPool")));
        assertEquals(List.of(4L, 3L, 3L, 3L), initializer(onnx, "l0_W").getDimsList());
        assertMatchesPass(network, params, onnx, pixels);
    }

    @Test
    void dropoutIsTheIdentity() throws OrtException {
        LayerNetwork withDropout = network("conv3x3x6,relu,dropout0.5,maxpool2,dense16,dropout0.25,relu", "10x10x2", 5);
        LayerNetwork without = network("conv3x3x6,relu,maxpool2,dense16,relu", "10x10x2", 5);
        assertEquals(without.parameterCount(), withDropout.parameterCount());
        float[][] pixels = pixels(withDropout.input().size(), 14);
        double[] params = params(withDropout, 1.5, pixels);
        ModelProto onnx = OnnxExport.toOnnx(withDropout, params, Pixels.SCALE);

        assertTrue(ops(onnx).stream().noneMatch(op -> op.equals("Dropout") || op.equals("Identity")), ops(onnx).toString());
        assertEquals(ops(OnnxExport.toOnnx(without, params, Pixels.SCALE)), ops(onnx));
        assertMatchesPass(withDropout, params, onnx, pixels);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sigmoid", "relu", "tanh", "step"})
    void denseSpecGivesWhatTheDenseExportGives(String activation) throws OrtException {
        LayerNetwork network = network("dense24," + activation + ",dense16," + activation, "7x7x1", 7);
        NetworkShape shape = NetworkShape.of(49, new int[] {24, 16}, 7, Activation.parse(activation));
        assertEquals(shape.parameterCount(), network.parameterCount());
        float[][] pixels = pixels(network.input().size(), activation.hashCode());
        double[] params = params(network, 3.0, pixels);

        OnnxRun layers = OnnxRun.of(OnnxExport.toOnnx(network, params, Pixels.SCALE), pixels, 7);
        OnnxRun dense = OnnxRun.of(OnnxExport.toOnnx(new SavedModel(shape, params), Pixels.SCALE), pixels, 7);
        for (int r = 0; r < ROWS; r++) {
            assertArrayEquals(dense.probability()[r], layers.probability()[r], "row " + r);
        }
        assertArrayEquals(dense.label(), layers.label());
        assertTrue(Arrays.stream(dense.label()).distinct().count() >= 3, "labels spread: " + Arrays.toString(dense.label()));
        assertMatchesPass(network, params, OnnxExport.toOnnx(network, params, Pixels.SCALE), pixels);
    }

    @Test
    void writeGivesTheModelBytesAndClassNames(@TempDir java.nio.file.Path dir) throws Exception {
        LayerNetwork network = network("conv3x3x2,relu,maxpool2", "6x6x1", 3);
        double[] params = params(network, 1.0, pixels(network.input().size(), 17));
        java.nio.file.Path file = dir.resolve("model.onnx");
        OnnxExport.write(network, params, Pixels.SCALE, List.of("cat", "dog", "bird"), new Path(file.toUri()), new Configuration());

        ModelProto expected = OnnxExport.toOnnx(network, params, Pixels.SCALE, List.of("cat", "dog", "bird"));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
        assertEquals("[\"cat\",\"dog\",\"bird\"]", metadata(expected, "class_names"));
        assertEquals("6x6x1", metadata(expected, "input_shape"));
    }

    @Test
    void parametersOfAnotherLengthAreRefused() {
        LayerNetwork network = network("conv3x3x2,relu", "6x6x1", 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toOnnx(network, new double[network.parameterCount() - 1], Pixels.SCALE));
        assertEquals(network + " has " + network.parameterCount() + " parameters, not " + (network.parameterCount() - 1),
                e.getMessage());
    }

    /** Runs {@code onnx} on {@code pixels} (raw, {@code [ROWS][H·W·C]}) and compares it with the pass on them scaled by 1/255. */
    private static void assertMatchesPass(LayerNetwork network, double[] params, ModelProto onnx, float[][] pixels)
            throws OrtException {
        int classes = network.classes();
        OnnxRun run = OnnxRun.of(onnx, pixels, classes);
        double[] expected = pass(network, pixels).forward(params, ROWS);
        double maxDelta = 0;
        double maxProbabilitySum = 0;
        for (int r = 0; r < ROWS; r++) {
            int best = 0;
            for (int k = 0; k < classes; k++) {
                maxDelta = Math.max(maxDelta, Math.abs(expected[r * classes + k] - run.probability()[r][k]));
                best = expected[r * classes + k] > expected[r * classes + best] ? k : best; // first maximum on ties
            }
            maxProbabilitySum += expected[r * classes + best];
            assertEquals(best, run.label()[r], "row " + r + " label");
        }
        long distinct = Arrays.stream(run.label()).distinct().count();
        System.out.printf("%s: max |Δ probability| %.2e over %d rows, %d labels, mean top probability %.3f%n", network,
                maxDelta, ROWS, distinct, maxProbabilitySum / ROWS);
        assertTrue(maxDelta <= 1e-5, "max |Δ probability| " + maxDelta);
        // spread probabilities and labels: a uniform softmax or a constant label would hide layout mistakes
        assertTrue(distinct >= 3, "labels spread over classes: " + distinct);
        assertTrue(maxProbabilitySum / ROWS > 2.0 / classes, "mean top probability " + maxProbabilitySum / ROWS);
    }

    private static LayerNetwork network(String spec, String input, int classes) {
        return LayerNetwork.of(ImageShape.parse(input), LayerSpec.parse(spec), classes);
    }

    /**
     * He/Xavier weights times {@code gain}; biases N(0, 0.1²), so that their export is tested too;
     * then the output layer centred and scaled on {@code pixels} so that its logits have mean 0 and
     * standard deviation 3 over the rows: random rows look alike to a random network, and without it
     * most would get the same label and near-uniform probabilities.
     */
    private static double[] params(LayerNetwork network, double gain, float[][] pixels) {
        SplittableRandom rng = new SplittableRandom(pixels.length * 31L + pixels[0].length);
        double[] params = LayerInitializer.initialize(network, rng);
        for (LayerNetwork.PlacedLayer l : network.layers()) {
            for (int i = l.weightOffset(); i < l.biasOffset(); i++) {
                params[i] *= gain;
            }
            for (int i = l.biasOffset(); i < l.biasOffset() + l.biasCount(); i++) {
                params[i] = 0.1 * rng.nextGaussian();
            }
        }
        int classes = network.classes();
        double[] logits = pass(network, pixels).logits(params, ROWS);
        double[] mean = new double[classes];
        for (int i = 0; i < ROWS * classes; i++) {
            mean[i % classes] += logits[i] / ROWS;
        }
        double squares = 0;
        for (int i = 0; i < ROWS * classes; i++) {
            squares += (logits[i] - mean[i % classes]) * (logits[i] - mean[i % classes]);
        }
        // logits' = g · (logits - mean): W' = g · W, b' = g · (b - mean)
        double g = 3.0 / Math.sqrt(squares / (ROWS * classes));
        LayerNetwork.PlacedLayer output = network.layers().get(network.layers().size() - 1);
        for (int i = output.weightOffset(); i < output.biasOffset(); i++) {
            params[i] *= g;
        }
        for (int k = 0; k < classes; k++) {
            params[output.biasOffset() + k] = g * (params[output.biasOffset() + k] - mean[k]);
        }
        return params;
    }

    /** A pass whose input holds {@code pixels} scaled by 1/255 as {@code Pixels.scale} scales raw bytes. */
    private static LayerPass pass(LayerNetwork network, float[][] pixels) {
        int size = network.input().size();
        LayerPass pass = new LayerPass(network, ROWS);
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < size; i++) {
                pass.input()[r * size + i] = pixels[r][i] * Pixels.SCALE;
            }
        }
        return pass;
    }

    /** {@value #ROWS} rows of raw pixels 0..255, 60% of them 0 as in MNIST. */
    private static float[][] pixels(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] rows = new float[ROWS][size];
        for (float[] row : rows) {
            for (int i = 0; i < size; i++) {
                row[i] = rng.nextDouble() < 0.6 ? 0 : rng.nextInt(256);
            }
        }
        return rows;
    }

    private static List<String> ops(ModelProto model) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    private static NodeProto node(ModelProto model, String op) {
        return model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).findFirst().orElseThrow();
    }

    private static String attributes(NodeProto node) {
        return String.join(" ", node.getAttributeList().stream().map(a -> a.getName() + "=" + a.getIntsList()).toList());
    }

    private static TensorProto initializer(ModelProto model, String name) {
        return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String metadata(ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(e -> e.getKey().equals(key)).map(StringStringEntryProto::getValue)
                .findFirst().orElseThrow();
    }
}
