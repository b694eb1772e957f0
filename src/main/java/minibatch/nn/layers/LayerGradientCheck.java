package minibatch.nn.layers;

import java.util.ArrayList;
import java.util.List;
import minibatch.nn.GradientCheck;
import minibatch.nn.GradientCheck.BlockError;
import minibatch.nn.SoftmaxCrossEntropy;

/**
 * {@code nn.GradientCheck} for a {@link LayerNetwork}: the pass's gradient against central finite
 * differences of the loss it differentiates, {@code Σ_rows -log(y_label)} (no 1e-7 guard), block
 * by block (W1, b1, W2, ... over the layers with parameters, in order). No dropout: masks would
 * have to be redrawn identically for every difference.
 */
public final class LayerGradientCheck {
    private LayerGradientCheck() {
    }

    /**
     * @param inputs {@code [rows × H·W·C]} NHWC rows, run as one batch
     * @param labels {@code [rows]}
     * @param h      finite-difference step
     */
    public static List<BlockError> check(LayerNetwork network, double[] params, double[][] inputs, int[] labels, double h) {
        LayerPass pass = pass(network, inputs);
        double[] analytic = new double[params.length];
        pass.accumulate(params, labels, inputs.length, analytic, 0.0, null);
        return check(network, params, inputs, labels, analytic, h);
    }

    /** As {@link #check(LayerNetwork, double[], double[][], int[], double)} with a given gradient sum ({@code [parameterCount]}). */
    public static List<BlockError> check(LayerNetwork network, double[] params, double[][] inputs, int[] labels,
                                         double[] analytic, double h) {
        LayerPass pass = pass(network, inputs);
        double[] p = params.clone();
        double[] numeric = new double[params.length];
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            p[i] = saved + h;
            double plus = lossSum(pass, p, labels);
            p[i] = saved - h;
            double minus = lossSum(pass, p, labels);
            p[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }
        List<BlockError> blocks = new ArrayList<>();
        int n = 0;
        for (LayerNetwork.PlacedLayer l : network.layers()) {
            if (l.hasParameters()) {
                n++;
                blocks.add(GradientCheck.compare("W" + n, analytic, numeric, l.weightOffset(), l.biasOffset()));
                blocks.add(GradientCheck.compare("b" + n, analytic, numeric, l.biasOffset(), l.biasOffset() + l.biasCount()));
            }
        }
        return blocks;
    }

    private static LayerPass pass(LayerNetwork network, double[][] inputs) {
        LayerPass pass = new LayerPass(network, Math.max(1, inputs.length));
        int size = network.input().size();
        for (int r = 0; r < inputs.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), r * size, size);
        }
        return pass;
    }

    /** The summed unguarded loss of the pass's input rows at {@code params}. */
    private static double lossSum(LayerPass pass, double[] params, int[] labels) {
        double[] probs = pass.forward(params, labels.length);
        int classes = pass.network().classes();
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            sum += SoftmaxCrossEntropy.loss(probs, r * classes + labels[r], 0.0);
        }
        return sum;
    }
}
