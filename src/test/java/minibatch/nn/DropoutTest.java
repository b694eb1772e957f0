package minibatch.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DropoutTest {
    private final NetworkShape shape = new NetworkShape(new int[] {8, 200, 3}, Activation.SIGMOID);
    private final double[] params = Initializer.HE.initialize(shape, new SplittableRandom(1));

    private double[] input(Backprop pass) {
        for (int i = 0; i < 8; i++) {
            pass.input()[i] = (i + 1) / 8.0;
        }
        return pass.input();
    }

    private double[] gradient(double dropout, long seed) {
        Backprop pass = new Backprop(shape);
        input(pass);
        double[] grad = new double[shape.parameterCount()];
        pass.accumulate(params, 1, grad, dropout, new SplittableRandom(seed));
        return grad;
    }

    @Test
    void reproducibleWithASeedAndDifferentWithAnother() {
        assertArrayEquals(gradient(0.5, 3), gradient(0.5, 3));
        assertFalse(Arrays.equals(gradient(0.5, 3), gradient(0.5, 4)));
        assertFalse(Arrays.equals(gradient(0.0, 3), gradient(0.5, 3)));
    }

    @Test
    void dropsAboutTheRequestedShareOfHiddenUnits() {
        double[] grad = gradient(0.5, 5);
        // a dropped hidden unit j gets no gradient on its bias b1[j]
        int dropped = 0;
        for (int j = 0; j < 200; j++) {
            dropped += grad[shape.biasOffset(0) + j] == 0.0 ? 1 : 0;
        }
        assertEquals(100, dropped, 20);
    }

    @Test
    void evaluationIsUnaffected() {
        Backprop pass = new Backprop(shape);
        input(pass);
        double[] before = pass.forward(params).clone();
        pass.accumulate(params, 1, new double[shape.parameterCount()], 0.5, new SplittableRandom(7));
        input(pass);
        assertArrayEquals(before, pass.forward(params));
    }
}
