package minibatch.model.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import minibatch.model.onnx.OnnxIr.AttributeProto;
import minibatch.model.onnx.OnnxIr.GraphProto;
import minibatch.model.onnx.OnnxIr.NodeProto;
import minibatch.model.onnx.OnnxIr.TensorProto;
import minibatch.model.onnx.OnnxIr.TensorShapeProto;
import minibatch.model.onnx.OnnxIr.TypeProto;
import minibatch.model.onnx.OnnxIr.ValueInfoProto;
import minibatch.nn.Activation;

/**
 * An ONNX graph under construction, with the interface every exported network shares: the input
 * {@code features} float32 {@code [N × inputs]}, cast to float64 and multiplied by the feature
 * scale ({@link #scaledFeatures}); the layers callers append in float64; then {@link #finish}:
 * {@code Softmax} of the logits {@code [N × classes]}, the output {@code probability} float32
 * {@code [N × classes]} and the output {@code label} int64 {@code [N]} ({@code ArgMax}, the first
 * index on a tie). Tensors are row-major; a value's name is also the name of the node that writes it.
 */
public final class OnnxGraph {
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    public static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    public static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private final GraphProto.Builder graph;
    private final Set<String> initializers = new HashSet<>();

    /** A graph named {@code name} with input {@code features [N × inputs]} and outputs for {@code classes} classes. */
    public OnnxGraph(String name, int inputs, int classes) {
        graph = GraphProto.newBuilder().setName(name);
        graph.addInput(tensorInfo("features", FLOAT, "N", inputs));
        graph.addOutput(tensorInfo("probability", FLOAT, "N", classes));
        graph.addOutput(tensorInfo("label", INT64, "N"));
    }

    /**
     * Appends the cast of {@code features} to float64 and, unless {@code featureScale} is 1, the
     * product with it; returns the name of the result, float64 {@code [N × inputs]}.
     */
    public String scaledFeatures(double featureScale) {
        node("Cast", List.of("features"), "x", intAttribute("to", DOUBLE));
        if (featureScale == 1.0) {
            return "x";
        }
        doubles("feature_scale", new double[] {featureScale});
        node("Mul", List.of("x", "feature_scale"), "x_scaled");
        return "x_scaled";
    }

    /** Appends {@code activation} of {@code z} (float64, any shape) as the node(s) that write {@code a}; returns {@code a}. */
    public String activation(Activation activation, String z, String a) {
        switch (activation) {
            case SIGMOID -> node("Sigmoid", List.of(z), a);
            case RELU -> node("Relu", List.of(z), a);
            case TANH -> node("Tanh", List.of(z), a);
            case STEP -> {
                // 1 where z > 0, else 0, as Activation.STEP
                if (!initializers.contains("zero")) {
                    doubles("zero", new double[] {0.0});
                }
                node("Greater", List.of(z, "zero"), a + "_positive");
                node("Cast", List.of(a + "_positive"), a, intAttribute("to", DOUBLE));
            }
        }
        return a;
    }

    /**
     * Appends the tail after the output layer's {@code logits} (float64 {@code [N × classes]}): the
     * softmax in float64, its float32 cast as {@code probability} and its {@code ArgMax} as {@code label}.
     */
    public void finish(String logits) {
        node("Softmax", List.of(logits), "probability_f64", intAttribute("axis", 1));
        node("Cast", List.of("probability_f64"), "probability", intAttribute("to", FLOAT));
        node("ArgMax", List.of("probability_f64"), "label", intAttribute("axis", 1),
                intAttribute("keepdims", 0), intAttribute("select_last_index", 0));
    }

    /** Appends a node of {@code op} writing {@code output}; returns {@code output}. */
    public String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(output + "_" + op.toLowerCase(Locale.ROOT))
                .addAllInput(inputs).addOutput(output).addAllAttribute(List.of(attributes)));
        return output;
    }

    /** Adds a float64 initializer of {@code values} (row-major) with {@code dims} (none: a scalar); returns {@code name}. */
    public String doubles(String name, double[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        return initializer(name, DOUBLE, raw, dims);
    }

    /** Adds a float32 initializer of {@code values} (row-major) with {@code dims}; returns {@code name}. */
    public String floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, FLOAT, raw, dims);
    }

    /** Adds an int64 initializer of {@code values} with {@code dims}, e.g. a {@code Reshape}'s target shape; returns {@code name}. */
    public String longs(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(name, INT64, raw, dims);
    }

    private String initializer(String name, int type, ByteBuffer raw, long... dims) {
        if (!initializers.add(name)) {
            throw new IllegalStateException("two initializers named " + name);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** The graph as built so far. */
    public GraphProto build() {
        return graph.build();
    }

    public static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
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
}
