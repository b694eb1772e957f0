package minibatch.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares an analytic gradient (backprop) with central finite differences of the loss it
 * differentiates, {@code Σ_rows -log(y_label)} (no 1e-7 guard), block by block (W1, b1, W2, ...).
 * Both sides use the pass training runs, {@link BatchBackprop}, one row at a time.
 */
public final class GradientCheck {
    /** Adds the gradient of the summed loss over one row to {@code gradSum}. */
    @FunctionalInterface
    public interface GradientFunction {
        void accumulate(double[] params, double[] input, int label, double[] gradSum);
    }

    /**
     * One parameter block's comparison.
     *
     * @param maxRelativeError max |analytic − numeric| over the block, relative to the block's
     *                         largest gradient magnitude (0 when both are exactly 0)
     */
    public record BlockError(String name, int size, double maxAbsAnalytic, double maxAbsNumeric,
                             double maxRelativeError) {
    }

    private GradientCheck() {
    }

    /** The backward pass training runs ({@link BatchBackprop}, its kernels for {@code shape}), as a {@link GradientFunction}. */
    public static GradientFunction backprop(NetworkShape shape) {
        BatchBackprop pass = BatchBackprop.oneRow(shape);
        int[] labels = new int[1];
        return (params, input, label, gradSum) -> {
            System.arraycopy(input, 0, pass.input(), 0, input.length);
            labels[0] = label;
            pass.accumulate(params, labels, 1, gradSum, 0.0, 0.0, null);
        };
    }

    /**
     * @param inputs {@code [rows × inputs]} scaled inputs
     * @param labels {@code [rows]}
     * @param h      finite-difference step
     */
    public static List<BlockError> check(NetworkShape shape, double[] params, double[][] inputs, int[] labels,
                                         GradientFunction analyticFunction, double h) {
        double[] analytic = new double[params.length];
        for (int r = 0; r < inputs.length; r++) {
            analyticFunction.accumulate(params, inputs[r], labels[r], analytic);
        }
        BatchBackprop pass = BatchBackprop.oneRow(shape);
        double[] p = params.clone();
        double[] numeric = new double[params.length];
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            p[i] = saved + h;
            double plus = lossSum(pass, p, inputs, labels);
            p[i] = saved - h;
            double minus = lossSum(pass, p, inputs, labels);
            p[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }
        List<BlockError> blocks = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            int w = shape.weightOffset(l);
            int b = shape.biasOffset(l);
            int end = b + shape.size(l + 1);
            blocks.add(compare("W" + (l + 1), analytic, numeric, w, b));
            blocks.add(compare("b" + (l + 1), analytic, numeric, b, end));
        }
        return blocks;
    }

    /** The summed unguarded loss of {@code inputs} at {@code params}. */
    static double lossSum(BatchBackprop pass, double[] params, double[][] inputs, int[] labels) {
        double sum = 0;
        for (int r = 0; r < inputs.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, inputs[r].length);
            sum += SoftmaxCrossEntropy.loss(pass.forward(params, 1), labels[r], 0.0);
        }
        return sum;
    }

    /**
     * The comparison of {@code a[from, to)} (analytic) with {@code n[from, to)} (numeric) as block
     * {@code name}: also what {@code nn.layers.LayerGradientCheck} reports its blocks with.
     */
    public static BlockError compare(String name, double[] a, double[] n, int from, int to) {
        double maxA = 0;
        double maxN = 0;
        double maxDiff = 0;
        for (int i = from; i < to; i++) {
            maxA = Math.max(maxA, Math.abs(a[i]));
            maxN = Math.max(maxN, Math.abs(n[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - n[i]));
        }
        double scale = Math.max(maxA, maxN);
        return new BlockError(name, to - from, maxA, maxN, scale == 0 ? 0 : maxDiff / scale);
    }
}
