package minibatch.training.update;

import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeanGradientTest {
    private final NetworkShape shape = new NetworkShape(new int[] {3, 2, 2}, Activation.SIGMOID);

    private GradientSums sums(double[] params, int rows) {
        Backprop pass = new Backprop(shape);
        double[] g = new double[shape.parameterCount()];
        double loss = 0.0;
        for (int r = 0; r < rows; r++) {
            pass.input()[0] = 0.5;
            pass.input()[1] = r;
            pass.input()[2] = 1.0;
            loss += pass.accumulate(params, r % 2, g);
        }
        return new GradientSums(loss, g, rows);
    }

    /** The mean into {@code out}, updating nothing. */
    private boolean mean(GradientSums sums, double[] params, double weightDecay, double[] out) {
        return MeanGradient.update(sums, params, shape, weightDecay, out, (w, g, from, to) -> { });
    }

    @Test
    void dividesByTheRowsSampledAndAddsL2OnWeightsOnly() {
        double[] params = new double[shape.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = 0.1 * (i + 1);
        }
        GradientSums sums = sums(params, 3);
        double[] plain = new double[params.length];
        double[] decayed = new double[params.length];
        assertTrue(mean(sums, params, 0.0, plain));
        assertTrue(mean(sums, params, 0.5, decayed));
        for (int i = 0; i < params.length; i++) {
            assertEquals(sums.gradientSum()[i] / 3, plain[i], 0.0, "mean of entry " + i);
            boolean bias = (i >= shape.biasOffset(0) && i < shape.weightOffset(1)) || i >= shape.biasOffset(1);
            assertEquals(plain[i] + (bias ? 0.0 : 0.5 * params[i]), decayed[i], 1e-15, (bias ? "bias " : "weight ") + i);
        }
    }

    @Test
    void reportsNonFiniteEntries() {
        double[] params = new double[shape.parameterCount()];
        GradientSums sums = sums(params, 2);
        sums.gradientSum()[4] = Double.POSITIVE_INFINITY;
        assertFalse(mean(sums, params, 0.0, new double[params.length]));
    }
}
