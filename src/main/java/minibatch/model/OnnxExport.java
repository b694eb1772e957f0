package minibatch.model;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import minibatch.Build;
import minibatch.ReplacedFile;
import minibatch.UserError;
import minibatch.model.onnx.OnnxIr.AttributeProto;
import minibatch.model.onnx.OnnxIr.GraphProto;
import minibatch.model.onnx.OnnxIr.ModelProto;
import minibatch.model.onnx.OnnxIr.NodeProto;
import minibatch.model.onnx.OnnxIr.OperatorSetIdProto;
import minibatch.model.onnx.OnnxIr.StringStringEntryProto;
import minibatch.model.onnx.OnnxIr.TensorProto;
import minibatch.model.onnx.OnnxIr.TensorShapeProto;
import minibatch.model.onnx.OnnxIr.TypeProto;
import minibatch.model.onnx.OnnxIr.ValueInfoProto;
import minibatch.nn.NetworkShape;
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
 * in Spark: only the input and the {@code probability} output are float32.
 */
public final class OnnxExport {
    /** ONNX operator set 17 (Gemm, Softmax, Cast, ArgMax, Greater, Mul); IR version 8 goes with it. */
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code model}.
     *
     * @param featureScale what every feature is multiplied by before the first layer (1/255 for
     *                     command-line models, whose features are raw pixels)
     */
    public static ModelProto toOnnx(SavedModel model, double featureScale) {
        if (!(model.shape() instanceof NetworkShape shape)) {
            throw new UserError("ONNX export of a layer network (" + model.shape() + ") is not supported yet");
        }
        double[] params = model.params();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("spark_minibatch_" + shape.toString()
                .replaceAll("[^0-9a-z]+", "_").replaceAll("^_|_$", ""));
        graph.addInput(tensorInfo("features", FLOAT, "N", shape.inputs()));
        graph.addOutput(tensorInfo("probability", FLOAT, "N", shape.classes()));
        graph.addOutput(tensorInfo("label", INT64, "N"));

        graph.addNode(node("Cast", List.of("features"), "x", intAttribute("to", DOUBLE)));
        String x = "x";
        if (featureScale != 1.0) {
            graph.addInitializer(doubles("feature_scale", new double[] {featureScale}));
            graph.addNode(node("Mul", List.of(x, "feature_scale"), "x_scaled"));
            x = "x_scaled";
        }
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.size(l);
            int out = shape.size(l + 1);
            String w = "W" + l;
            String b = "b" + l;
            // W_l is [in × out] row-major in the flat vector: Gemm's B without a transpose.
            graph.addInitializer(doubles(w, slice(params, shape.weightOffset(l), in * out), in, out));
            graph.addInitializer(doubles(b, slice(params, shape.biasOffset(l), out), out));
            String z = "z" + l;
            graph.addNode(node("Gemm", List.of(x, w, b), z));
            x = l < shape.layers() - 1 ? activation(graph, shape, z, "a" + l) : z;
        }
        graph.addNode(node("Softmax", List.of(x), "probability_f64", intAttribute("axis", 1)));
        graph.addNode(node("Cast", List.of("probability_f64"), "probability", intAttribute("to", FLOAT)));
        graph.addNode(node("ArgMax", List.of("probability_f64"), "label", intAttribute("axis", 1),
                intAttribute("keepdims", 0), intAttribute("select_last_index", 0)));

        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("spark-minibatch")
                .setProducerVersion(Build.VERSION)
                .setDocString("A " + shape + " network trained by spark-minibatch; features are multiplied by "
                        + featureScale + " before the first layer.")
                .addMetadataProps(entry("layer_sizes", java.util.Arrays.toString(shape.sizes())))
                .addMetadataProps(entry("hidden_activation", shape.hidden().id()))
                .addMetadataProps(entry("feature_scale", String.format(Locale.ROOT, "%.17g", featureScale)))
                .addMetadataProps(entry("weights_sha256", ParameterDigest.sha256(params)))
                .addAllMetadataProps(model.inputChannels() == 1 ? List.of()
                        : List.of(entry("input_channels", Integer.toString(model.inputChannels()))))
                .addAllMetadataProps(model.classNames().isEmpty() ? List.of()
                        : List.of(entry("class_names", classNamesJson(model.classNames()))))
                .setGraph(graph)
                .build();
    }

    /** Writes {@link #toOnnx} to {@code out} (any Hadoop path), replacing it only once the new file is complete. */
    public static void write(SavedModel model, double featureScale, Path out, Configuration conf) throws IOException {
        byte[] bytes = toOnnx(model, featureScale).toByteArray();
        ReplacedFile.write(out, conf, o -> o.write(bytes));
    }

    /** The hidden activation of {@code z} as the node(s) that write {@code a}; returns {@code a}. */
    private static String activation(GraphProto.Builder graph, NetworkShape shape, String z, String a) {
        switch (shape.hidden()) {
            case SIGMOID -> graph.addNode(node("Sigmoid", List.of(z), a));
            case RELU -> graph.addNode(node("Relu", List.of(z), a));
            case TANH -> graph.addNode(node("Tanh", List.of(z), a));
            case STEP -> {
                // 1 where z > 0, else 0, as Activation.STEP
                if (graph.getInitializerList().stream().noneMatch(t -> t.getName().equals("zero"))) {
                    graph.addInitializer(doubles("zero", new double[] {0.0}));
                }
                graph.addNode(node("Greater", List.of(z, "zero"), a + "_positive"));
                graph.addNode(node("Cast", List.of(a + "_positive"), a, intAttribute("to", DOUBLE)));
            }
        }
        return a;
    }

    private static double[] slice(double[] params, int offset, int length) {
        return java.util.Arrays.copyOfRange(params, offset, offset + length);
    }

    /** A float64 tensor of {@code values} (row-major) with {@code dims}; no dims is a scalar. */
    private static TensorProto doubles(String name, double[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(DOUBLE).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static NodeProto node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(output + "_" + op.toLowerCase(Locale.ROOT))
                .addAllInput(inputs).addOutput(output).addAllAttribute(new ArrayList<>(List.of(attributes))).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** A tensor's type: {@code elemType} and dims, a String dim being a named dimension of any size. */
    private static ValueInfoProto tensorInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String param ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
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
