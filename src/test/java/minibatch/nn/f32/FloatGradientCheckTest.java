package minibatch.nn.f32;

import java.util.List;
import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.GradientCheck;
import minibatch.nn.GradientCheck.BlockError;
import minibatch.nn.GradientCheck.GradientFunction;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 pass's gradient against central differences of the float64 loss ({@link GradientCheck},
 * whose numeric side runs the float64 pass), within 1e-3 relative: float32 precision.
 */
class FloatGradientCheckTest {
    private static final double RELATIVE = 1e-3;

    /** The float32 pass, one row at a time, as a {@link GradientFunction}: its float32 sums added into the float64 ones. */
    static GradientFunction float32(NetworkShape shape) {
        FloatBatchBackprop pass = FloatBatchBackprop.oneRow(shape);
        float[] params32 = new float[shape.parameterCount()];
        float[] grad32 = new float[shape.parameterCount()];
        return (params, input, label, gradSum) -> {
            MixedPrecision.toFloat(params, params32);
            for (int i = 0; i < input.length; i++) {
                pass.input()[i] = (float) input[i];
            }
            java.util.Arrays.fill(grad32, 0f);
            pass.accumulate(params32, new int[] {label}, 1, grad32, 0.0, 0.0, null);
            MixedPrecision.addInto(grad32, gradSum);
        };
    }

    private static double[] params(NetworkShape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = new double[shape.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = rng.nextGaussian() * 0.7;
        }
        return params;
    }

    /** {@code [rows × inputs]} inputs, a quarter of them exact zeros (the skip path), and labels. */
    private static double[][] inputs(int inputs, int classes, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[labels.length][inputs];
        for (int r = 0; r < labels.length; r++) {
            for (int i = 0; i < inputs; i++) {
                x[r][i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
            }
            labels[r] = rng.nextInt(classes);
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void float32GradientMatchesFloat64FiniteDifferences(Activation activation) {
        NetworkShape shape = new NetworkShape(new int[] {6, 5, 4, 3}, activation);
        int[] labels = new int[5];
        double[][] x = inputs(6, 3, labels, 11);
        List<BlockError> blocks = GradientCheck.check(shape, params(shape, 11), x, labels, float32(shape), 1e-5);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), blocks.stream().map(BlockError::name).toList());
        for (BlockError b : blocks) {
            assertTrue(b.maxRelativeError() < RELATIVE, activation + " " + b);
        }
        assertTrue(blocks.get(4).maxAbsAnalytic() > 1e-3, blocks.get(4).toString());
        if (activation == Activation.STEP) {
            assertEquals(0.0, blocks.get(0).maxAbsAnalytic());
        } else {
            assertTrue(blocks.get(0).maxAbsAnalytic() > 1e-4, activation + " " + blocks.get(0));
        }
    }

    @Test
    void theSgemmLayersGradientMatchesToo() {
        NetworkShape shape = new NetworkShape(new int[] {6, 130, 128, 3}, Activation.TANH);
        assertArrayEquals(new LayerKernel[] {LayerKernel.SPARSE_ROWS, LayerKernel.DENSE_GEMM, LayerKernel.SPARSE_ROWS},
                LayerKernel.of(shape));
        int[] labels = new int[3];
        double[][] x = inputs(6, 3, labels, 12);
        double[] params = params(shape, 12);
        for (int i = 0; i < params.length; i++) {
            params[i] *= 0.15; // keeps tanh off its flat ends across 130 inputs
        }
        for (BlockError b : GradientCheck.check(shape, params, x, labels, float32(shape), 1e-5)) {
            assertTrue(b.maxRelativeError() < RELATIVE, b.toString());
            assertTrue(b.maxAbsAnalytic() > 0.0, b.toString());
        }
    }

    @Test
    void aWrongGradientFailsTheCheck() {
        // the check above can fail: the float32 gradient of another label is caught
        NetworkShape shape = new NetworkShape(new int[] {6, 5, 4, 3}, Activation.SIGMOID);
        int[] labels = new int[5];
        double[][] x = inputs(6, 3, labels, 11);
        GradientFunction right = float32(shape);
        GradientFunction wrong = (p, in, label, g) -> right.accumulate(p, in, (label + 1) % 3, g);
        double worst = GradientCheck.check(shape, params(shape, 11), x, labels, wrong, 1e-5).stream()
                .mapToDouble(BlockError::maxRelativeError).max().orElseThrow();
        assertTrue(worst > 0.1, "worst " + worst);
    }
}
