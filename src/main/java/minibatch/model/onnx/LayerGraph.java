package minibatch.model.onnx;

import java.util.Arrays;
import java.util.List;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerToken;

/**
 * Appends the nodes of a {@link LayerNetwork}'s layers to an {@link OnnxGraph}. The network's rows
 * are NHWC and ONNX's {@code Conv} and {@code MaxPool} read NCHW, so before the first convolution or
 * max-pool the rows {@code [N × H·W·C]} become {@code [N, H, W, C]} ({@code Reshape}) and then
 * {@code [N, C, H, W]} ({@code Transpose}). Before the first dense layer they go back to NHWC
 * ({@code Transpose}) and flat rows ({@code Flatten}) rather than permuting that layer's W rows to
 * NCHW order: every dense W is then exported exactly as trained, {@code [inputs × units]} row-major
 * for {@code Gemm}, for the price of one transpose of the last feature map. A convolution's W
 * {@code [K·K·C_in × C_out]} (rows ordered {@code (ky, kx, c_in)}) is exported as
 * {@code [C_out, C_in, K, K]}. Activations are element-wise in either layout; dropout is the
 * identity at inference and has no node.
 *
 * <p>Every value is float64 except inside a convolution: ONNX Runtime's CPU {@code Conv} kernel is
 * float32 only (a float64 {@code Conv} fails to load: "Could not find an implementation for
 * Conv(11)"), so a convolution casts its input to float32, convolves with float32 copies of its W and
 * b and casts the result back to float64. Max-pool, activations, dense layers and softmax stay
 * float64 as in the dense export. The float32 convolutions move probabilities by up to a few 1e-6
 * (2.6e-6 on the textbook CNN with logits of standard deviation 3); a {@code step} after a
 * convolution may flip a value that lies within that rounding of 0.
 */
public final class LayerGraph {
    private final OnnxGraph graph;
    private final double[] params;
    /** The current value's name. */
    private String x;
    /** Whether {@link #x} is {@code [N, C, H, W]}; else flat NHWC rows {@code [N × H·W·C]}. */
    private boolean nchw;

    private LayerGraph(OnnxGraph graph, double[] params, String x) {
        this.graph = graph;
        this.params = params;
        this.x = x;
    }

    /**
     * Appends every layer of {@code network}, the output layer included, to {@code graph}.
     *
     * @param params   the network's flat parameters, {@code [parameterCount]}
     * @param features the name of the float64 input rows {@code [N × H·W·C]}, NHWC, already scaled
     * @return the name of the output layer's logits, float64 {@code [N × classes]}
     */
    public static String append(OnnxGraph graph, LayerNetwork network, double[] params, String features) {
        if (params.length != network.parameterCount()) {
            throw new IllegalArgumentException(network + " has " + network.parameterCount() + " parameters, not " + params.length);
        }
        LayerGraph layers = new LayerGraph(graph, params, features);
        List<LayerNetwork.PlacedLayer> placed = network.layers();
        for (int i = 0; i < placed.size(); i++) {
            layers.layer("l" + i, placed.get(i));
        }
        return layers.x;
    }

    private void layer(String name, LayerNetwork.PlacedLayer layer) {
        LayerToken token = layer.token();
        if (token instanceof LayerToken.ConvToken conv) {
            convolution(name, conv, layer);
        } else if (token instanceof LayerToken.MaxPoolToken pool) {
            toNchw(layer.input());
            x = graph.node("MaxPool", List.of(x), name + "_maxpool",
                    OnnxGraph.intsAttribute("kernel_shape", pool.window(), pool.window()),
                    OnnxGraph.intsAttribute("strides", pool.stride(), pool.stride()));
        } else if (token instanceof LayerToken.DenseToken dense) {
            toFlat();
            int in = layer.input().size();
            String w = graph.doubles(name + "_W", slice(layer.weightOffset(), in * dense.units()), in, dense.units());
            String b = graph.doubles(name + "_b", slice(layer.biasOffset(), dense.units()), dense.units());
            x = graph.node("Gemm", List.of(x, w, b), name + "_dense");
        } else if (token instanceof LayerToken.ActivationToken a) {
            x = graph.activation(a.activation(), x, name + "_" + a.activation().id());
        } else if (token instanceof LayerToken.DropoutToken) {
            // no node: inverted dropout scales while training, so inference passes values through
            return;
        } else {
            throw new IllegalArgumentException("no ONNX export for layer " + token.text());
        }
    }

    /** Conv of the NCHW input with W as {@code [C_out, C_in, K, K]}, in float32 (see the class comment). */
    private void convolution(String name, LayerToken.ConvToken conv, LayerNetwork.PlacedLayer layer) {
        toNchw(layer.input());
        int k = conv.kernel();
        int in = layer.input().channels();
        int out = conv.filters();
        // the flat W is [K·K·C_in × C_out] row-major with rows ordered (ky, kx, c_in), as Im2col builds them
        float[] w = new float[k * k * in * out];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int c = 0; c < in; c++) {
                    int row = (ky * k + kx) * in + c;
                    for (int f = 0; f < out; f++) {
                        w[((f * in + c) * k + ky) * k + kx] = (float) params[layer.weightOffset() + row * out + f];
                    }
                }
            }
        }
        float[] b = new float[out];
        for (int f = 0; f < out; f++) {
            b[f] = (float) params[layer.biasOffset() + f];
        }
        graph.floats(name + "_W", w, out, in, k, k);
        graph.floats(name + "_b", b, out);
        int s = conv.stride();
        int p = conv.padding();
        graph.node("Cast", List.of(x), name + "_in_f32", OnnxGraph.intAttribute("to", OnnxGraph.FLOAT));
        graph.node("Conv", List.of(name + "_in_f32", name + "_W", name + "_b"), name + "_conv_f32",
                OnnxGraph.intsAttribute("kernel_shape", k, k), OnnxGraph.intsAttribute("strides", s, s),
                OnnxGraph.intsAttribute("pads", p, p, p, p));
        x = graph.node("Cast", List.of(name + "_conv_f32"), name + "_conv", OnnxGraph.intAttribute("to", OnnxGraph.DOUBLE));
    }

    /** Flat NHWC rows of {@code shape} to {@code [N, C, H, W]}, unless they are already. */
    private void toNchw(ImageShape shape) {
        if (nchw) {
            return;
        }
        String target = graph.longs("nhwc_shape", new long[] {-1, shape.height(), shape.width(), shape.channels()}, 4);
        graph.node("Reshape", List.of(x, target), "x_nhwc");
        x = graph.node("Transpose", List.of("x_nhwc"), "x_nchw", OnnxGraph.intsAttribute("perm", 0, 3, 1, 2));
        nchw = true;
    }

    /** {@code [N, C, H, W]} back to flat NHWC rows {@code [N × H·W·C]}, the order a dense layer's W rows follow. */
    private void toFlat() {
        if (!nchw) {
            return;
        }
        graph.node("Transpose", List.of(x), "y_nhwc", OnnxGraph.intsAttribute("perm", 0, 2, 3, 1));
        x = graph.node("Flatten", List.of("y_nhwc"), "y_rows", OnnxGraph.intAttribute("axis", 1));
        nchw = false;
    }

    private double[] slice(int offset, int length) {
        return Arrays.copyOfRange(params, offset, offset + length);
    }
}
