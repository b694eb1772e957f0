package minibatch.nn.layers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inverted dropout as a layer: masks in training only, scaled by 1/(1-p), the same mask backward. */
class DropoutTest {
    @Test
    void trainingDropsAboutPAndScalesTheRestEvaluationPassesThrough() {
        int rows = 40;
        int size = 50;
        double p = 0.3;
        Dropout dropout = new Dropout(p, size, rows);
        double[] in = new double[rows * size];
        for (int i = 0; i < in.length; i++) {
            in[i] = 1.0 + i % 7;
        }
        double[] out = new double[in.length];
        dropout.forward(null, 0, in, out, rows, new SplittableRandom(5));
        double[] dOut = new double[in.length];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = 2.0 + i % 5;
        }
        double[] dIn = new double[in.length];
        dropout.backward(null, 0, in, out, dOut, dIn, null, rows);
        int dropped = 0;
        for (int i = 0; i < in.length; i++) {
            double scale = out[i] / in[i];
            if (scale == 0.0) {
                dropped++;
            } else {
                assertEquals(1.0 / (1.0 - p), scale, 1e-15, "a kept value is scaled: " + i);
            }
            assertEquals(dOut[i] * scale, dIn[i], 1e-12, "the backward uses the forward's mask: " + i);
        }
        // 2000 draws at p = 0.3: 600 expected, standard deviation ~20
        assertTrue(Math.abs(dropped - 600) < 100, "dropped " + dropped);

        double[] evaluated = new double[in.length];
        dropout.forward(null, 0, in, evaluated, rows, null);
        assertArrayEquals(in, evaluated);
        dropout.backward(null, 0, in, evaluated, dOut, dIn, null, rows);
        assertArrayEquals(dOut, dIn);
    }
}
