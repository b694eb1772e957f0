package minibatch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backprop against central finite differences of the loss it differentiates (guard 0). */
class GradientCheckTest {
    private static final double H = 1e-5;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backpropMatchesFiniteDifferences(Activation activation) {
        NetworkShape shape = new NetworkShape(new int[] {6, 5, 4, 3}, activation);
        SplittableRandom rng = new SplittableRandom(11);
        double[] params = new double[shape.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = rng.nextGaussian() * 0.7;
        }
        int rows = 5;
        double[][] inputs = new double[rows][6];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 6; i++) {
                inputs[r][i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble(); // zeros exercise the skip path
            }
            labels[r] = rng.nextInt(3);
        }

        Backprop pass = new Backprop(shape);
        double[] analytic = new double[params.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, 6);
            pass.accumulate(params, labels[r], analytic);
        }

        double[] numeric = new double[params.length];
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            params[i] = saved + H;
            double plus = lossSum(pass, params, inputs, labels);
            params[i] = saved - H;
            double minus = lossSum(pass, params, inputs, labels);
            params[i] = saved;
            numeric[i] = (plus - minus) / (2 * H);
        }

        for (int l = 0; l < shape.layers(); l++) {
            int end = l + 1 < shape.layers() ? shape.weightOffset(l + 1) : params.length;
            double err = relativeError(analytic, numeric, shape.weightOffset(l), end);
            assertTrue(err < 1e-6, activation + " layer " + l + ": relative error " + err);
        }
        assertTrue(norm(analytic, 0, params.length) > 1e-3, "the gradient is not trivially zero");
    }

    private static double lossSum(Backprop pass, double[] params, double[][] inputs, int[] labels) {
        double sum = 0;
        for (int r = 0; r < inputs.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, inputs[r].length);
            sum += SoftmaxCrossEntropy.loss(pass.forward(params), labels[r], 0.0);
        }
        return sum;
    }

    /** ||a - n|| / max(||a||, ||n||) over {@code [from, to)}. */
    private static double relativeError(double[] a, double[] n, int from, int to) {
        double diff = 0;
        for (int i = from; i < to; i++) {
            diff += (a[i] - n[i]) * (a[i] - n[i]);
        }
        return Math.sqrt(diff) / Math.max(norm(a, from, to), norm(n, from, to));
    }

    private static double norm(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void networkShapeLaysOutParametersLayerByLayer(Activation activation) {
        NetworkShape shape = NetworkShape.of(784, new int[] {50}, 10, activation);
        assertEquals(784 * 50 + 50 + 50 * 10 + 10, shape.parameterCount());
        assertEquals(0, shape.weightOffset(0));
        assertEquals(784 * 50, shape.biasOffset(0));
        assertEquals(784 * 50 + 50, shape.weightOffset(1));
        assertEquals(784 * 50 + 50 + 500, shape.biasOffset(1));
    }
}
