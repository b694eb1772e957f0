package minibatch.nn;

import java.util.List;
import java.util.SplittableRandom;
import minibatch.nn.GradientCheck.BlockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backprop against central finite differences of the loss it differentiates (guard 0). */
class GradientCheckTest {
    private static final NetworkShape SHAPE_6_5_4_3 = new NetworkShape(new int[] {6, 5, 4, 3}, Activation.SIGMOID);

    private static double[] params(NetworkShape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = new double[shape.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = rng.nextGaussian() * 0.7;
        }
        return params;
    }

    /** {@code [5 × 6]} inputs with some exact zeros (they exercise the skip path) and labels. */
    private static double[][] inputs(SplittableRandom rng, int[] labels) {
        double[][] inputs = new double[labels.length][6];
        for (int r = 0; r < labels.length; r++) {
            for (int i = 0; i < 6; i++) {
                inputs[r][i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
            }
            labels[r] = rng.nextInt(3);
        }
        return inputs;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backpropMatchesFiniteDifferences(Activation activation) {
        NetworkShape shape = new NetworkShape(new int[] {6, 5, 4, 3}, activation);
        int[] labels = new int[5];
        double[][] inputs = inputs(new SplittableRandom(11), labels);
        List<BlockError> blocks = GradientCheck.check(shape, params(shape, 11), inputs, labels,
                GradientCheck.backprop(shape), 1e-5);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), blocks.stream().map(BlockError::name).toList());
        for (BlockError b : blocks) {
            assertTrue(b.maxRelativeError() < 1e-6, activation + " " + b);
        }
        // the output layer always learns; below a step layer nothing does
        assertTrue(blocks.get(4).maxAbsAnalytic() > 1e-3, blocks.get(4).toString());
        if (activation == Activation.STEP) {
            assertEquals(0.0, blocks.get(0).maxAbsAnalytic());
            assertEquals(0.0, blocks.get(0).maxAbsNumeric());
        } else {
            assertTrue(blocks.get(0).maxAbsAnalytic() > 1e-4, activation + " " + blocks.get(0));
        }
    }

    @Test
    void aWrongGradientIsCaught() {
        int[] labels = new int[5];
        double[][] inputs = inputs(new SplittableRandom(12), labels);
        GradientCheck.GradientFunction correct = GradientCheck.backprop(SHAPE_6_5_4_3);
        // forgets the bias gradient of the first layer, a classic backprop bug
        GradientCheck.GradientFunction wrong = (p, x, label, grad) -> {
            double[] saved = java.util.Arrays.copyOfRange(grad, SHAPE_6_5_4_3.biasOffset(0), SHAPE_6_5_4_3.weightOffset(1));
            correct.accumulate(p, x, label, grad);
            System.arraycopy(saved, 0, grad, SHAPE_6_5_4_3.biasOffset(0), saved.length);
        };
        List<BlockError> blocks = GradientCheck.check(SHAPE_6_5_4_3, params(SHAPE_6_5_4_3, 12), inputs, labels, wrong, 1e-5);
        assertTrue(blocks.get(1).maxRelativeError() > 0.5, blocks.get(1).toString());
        assertTrue(blocks.get(0).maxRelativeError() < 1e-6, blocks.get(0).toString());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SIGMOID", "RELU", "TANH"})
    void dropoutGradientMatchesFiniteDifferencesUnderTheSameMasks(Activation activation) {
        NetworkShape shape = new NetworkShape(new int[] {6, 5, 4, 3}, activation);
        int[] labels = new int[5];
        double[][] inputs = inputs(new SplittableRandom(13), labels);
        double[] params = params(shape, 13);
        double dropout = 0.3;
        Backprop pass = new Backprop(shape);
        double[] analytic = new double[params.length];
        SplittableRandom masks = new SplittableRandom(99);
        for (int r = 0; r < labels.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, 6);
            pass.accumulate(params, labels[r], analytic, dropout, masks);
        }
        // the loss with the same masks: re-seed the generator for every evaluation
        double h = 1e-5;
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < params.length; i++) {
            double saved = params[i];
            params[i] = saved + h;
            double plus = maskedLoss(pass, params, inputs, labels, dropout);
            params[i] = saved - h;
            double minus = maskedLoss(pass, params, inputs, labels, dropout);
            params[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[i]));
            maxAbs = Math.max(maxAbs, Math.abs(analytic[i]));
        }
        assertTrue(maxDiff / maxAbs < 1e-6, activation + ": relative error " + maxDiff / maxAbs);
        double[] plain = new double[params.length];
        for (int r = 0; r < labels.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, 6);
            pass.accumulate(params, labels[r], plain);
        }
        assertFalse(java.util.Arrays.equals(plain, analytic), "dropout changed the gradient");
    }

    private static double maskedLoss(Backprop pass, double[] params, double[][] inputs, int[] labels, double dropout) {
        SplittableRandom masks = new SplittableRandom(99);
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            System.arraycopy(inputs[r], 0, pass.input(), 0, inputs[r].length);
            sum += SoftmaxCrossEntropy.loss(pass.forward(params, dropout, masks), labels[r], 0.0);
        }
        return sum;
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
