package minibatch.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import minibatch.Build;
import minibatch.ReplacedFile;
import minibatch.model.onnx.LayerGraph;
import minibatch.model.onnx.OnnxGraph;
import minibatch.model.onnx.OnnxIr.ModelProto;
import minibatch.model.onnx.OnnxIr.OperatorSetIdProto;
import minibatch.model.onnx.OnnxIr.StringStringEntryProto;
import minibatch.nn.NetworkShape;
import minibatch.nn.layers.LayerNetwork;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A trained network as an ONNX model (opset {@value #OPSET}), for ONNX Runtime and every other ONNX
 * reader. The graph takes what the Spark model's {@code features} column takes and gives what its
 * prediction gives:
 * <ul>
 *   <li>input {@code features}: float32 {@code [N × inputs]}, e.g. raw pixels 0..255 for a command-line
 *       model (the feature scale is a node of the graph), row-major, with R, G, B per pixel for a
 *       model of 3-channel images;</li>
 *   <li>output {@code probability}: float32 {@code [N × classes]}, the softmax;</li>
 *   <li>output {@code label}: int64 {@code [N]}, the index of the largest probability (the first on a tie).</li>
 * </ul>
 * Inside, the graph computes in float64 with the trained float64 weights unchanged, as the model does
 * in Spark: only the input and the {@code probability} output are float32. A network of layers
 * ({@link #toOnnx(LayerNetwork, double[], double, List)}: convolutions, max-pools, dense layers) has
 * the same interface, its rows {@code [N × H·W·C]} NHWC as the network reads them; inside, its
 * convolutions run in NCHW and float32 ({@link LayerGraph} says why).
 */
public final class OnnxExport {
    /**
     * ONNX operator set 17 (Gemm, Softmax, Cast, ArgMax, Greater, Mul; Conv, MaxPool, Reshape,
     * Transpose, Flatten for networks of layers); IR version 8 goes with it.
     */
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code model}: a dense network's, or a layer stack's
     * ({@link #toOnnx(LayerNetwork, double[], double, List)}).
     *
     * @param featureScale what every feature is multiplied by before the first layer (1/255 for
     *                     command-line models, whose features are raw pixels)
     */
    public static ModelProto toOnnx(SavedModel model, double featureScale) {
        if (model.shape() instanceof LayerNetwork stack) {
            return toOnnx(stack, model.params(), featureScale, model.classNames());
        }
        NetworkShape shape = (NetworkShape) model.shape();
        double[] params = model.params();
        OnnxGraph graph = new OnnxGraph(graphName(shape.toString()), shape.inputs(), shape.classes());
        String x = graph.scaledFeatures(featureScale);
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.size(l);
            int out = shape.size(l + 1);
            // W_l is [in × out] row-major in the flat vector: Gemm's B without a transpose.
            String w = graph.doubles("W" + l, slice(params, shape.weightOffset(l), in * out), in, out);
            String b = graph.doubles("b" + l, slice(params, shape.biasOffset(l), out), out);
            String z = graph.node("Gemm", List.of(x, w, b), "z" + l);
            x = l < shape.layers() - 1 ? graph.activation(shape.hidden(), z, "a" + l) : z;
        }
        graph.finish(x);

        List<StringStringEntryProto> metadata = new ArrayList<>();
        metadata.add(entry("layer_sizes", Arrays.toString(shape.sizes())));
        metadata.add(entry("hidden_activation", shape.hidden().id()));
        metadata.add(entry("feature_scale", String.format(Locale.ROOT, "%.17g", featureScale)));
        metadata.add(entry("weights_sha256", ParameterDigest.sha256(params)));
        if (model.inputChannels() != 1) {
            metadata.add(entry("input_channels", Integer.toString(model.inputChannels())));
        }
        return model(graph, "A " + shape + " network trained by spark-minibatch; features are multiplied by "
                + featureScale + " before the first layer.", metadata, model.classNames());
    }

    /** {@link #toOnnx(LayerNetwork, double[], double, List)} without class names. */
    public static ModelProto toOnnx(LayerNetwork network, double[] params, double featureScale) {
        return toOnnx(network, params, featureScale, List.of());
    }

    /**
     * The ONNX model of a network of layers: input {@code features} float32 {@code [N × H·W·C]}
     * (NHWC rows, e.g. raw pixels), outputs {@code probability} float32 {@code [N × classes]} and
     * {@code label} int64 {@code [N]}, as {@link #toOnnx(SavedModel, double)}'s. Its metadata records
     * the network ({@code layers}, e.g. {@code 28x28x1 conv5x5x16 relu maxpool2 dense10 softmax}), the
     * input shape, the feature scale, {@code weights_sha256} and the class names if any.
     *
     * @param params       the trained parameters, {@code [network.parameterCount()]}
     * @param featureScale what every feature is multiplied by before the first layer (1/255 for raw pixels)
     * @param classNames   label k's name at k, or empty
     * @throws IllegalArgumentException when {@code params} is not of the network's length
     */
    public static ModelProto toOnnx(LayerNetwork network, double[] params, double featureScale, List<String> classNames) {
        OnnxGraph graph = new OnnxGraph(graphName(network.toString()), network.input().size(), network.classes());
        graph.finish(LayerGraph.append(graph, network, params, graph.scaledFeatures(featureScale)));
        List<StringStringEntryProto> metadata = List.of(
                entry("layers", network.toString()),
                entry("input_shape", network.input().toString()),
                entry("feature_scale", String.format(Locale.ROOT, "%.17g", featureScale)),
                entry("weights_sha256", ParameterDigest.sha256(params)));
        return model(graph, "A " + network + " network trained by spark-minibatch; features (NHWC rows of "
                + network.input() + ") are multiplied by " + featureScale + " before the first layer.", metadata, classNames);
    }

    /** Writes {@link #toOnnx} to {@code out} (any Hadoop path), replacing it only once the new file is complete. */
    public static void write(SavedModel model, double featureScale, Path out, Configuration conf) throws IOException {
        byte[] bytes = toOnnx(model, featureScale).toByteArray();
        ReplacedFile.write(out, conf, o -> o.write(bytes));
    }

    /**
     * Writes {@link #toOnnx(LayerNetwork, double[], double, List)} to {@code out} (any Hadoop path),
     * replacing it only once the new file is complete.
     */
    public static void write(LayerNetwork network, double[] params, double featureScale, List<String> classNames,
                             Path out, Configuration conf) throws IOException {
        byte[] bytes = toOnnx(network, params, featureScale, classNames).toByteArray();
        ReplacedFile.write(out, conf, o -> o.write(bytes));
    }

    private static ModelProto model(OnnxGraph graph, String doc, List<StringStringEntryProto> metadata, List<String> classNames) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("spark-minibatch")
                .setProducerVersion(Build.VERSION)
                .setDocString(doc)
                .addAllMetadataProps(metadata)
                .addAllMetadataProps(classNames.isEmpty() ? List.of() : List.of(entry("class_names", classNamesJson(classNames))))
                .setGraph(graph.build())
                .build();
    }

    /** {@code spark_minibatch_} and the network's description in lower-case letters, digits and underscores. */
    private static String graphName(String network) {
        return "spark_minibatch_" + network.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-z]+", "_").replaceAll("^_|_$", "");
    }

    private static double[] slice(double[] params, int offset, int length) {
        return Arrays.copyOfRange(params, offset, offset + length);
    }

    /** The names as a JSON array of strings: label k is {@code names[k]}. */
    private static String classNamesJson(List<String> names) {
        var array = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        names.forEach(array::add);
        return array.toString();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
