package minibatch.nn;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {
    /** The textbook's example output (deep-learning-from-scratch, ch. 4). */
    private static final double[] Y = {0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0};

    @Test
    void goldenValuesFromTheTextbook() {
        // -log(0.6 + 1e-7) and -log(0.1 + 1e-7), as the textbook prints them
        assertEquals(0.510825457099338, SoftmaxCrossEntropy.loss(Y, 2), 1e-15);
        assertEquals(2.302584092994546, SoftmaxCrossEntropy.loss(Y, 7), 1e-15);
        // a zero probability is where the guard matters: -log(1e-7)
        assertEquals(16.11809565095832, SoftmaxCrossEntropy.loss(Y, 3), 1e-12);
    }

    @Test
    void oneHotAndLabelFormsAreBitIdentical() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 200;
        int classes = 10;
        double[][] probs = new double[rows][classes];
        double[][] onehot = new double[rows][classes];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            double[] logits = new double[classes];
            for (int k = 0; k < classes; k++) {
                logits[k] = rng.nextGaussian() * (r % 7 == 0 ? 40 : 3); // some rows with near-zero probabilities
            }
            SoftmaxCrossEntropy.softmax(logits, probs[r], classes);
            labels[r] = rng.nextInt(classes);
            onehot[r][labels[r]] = 1.0;
            assertEquals(Double.doubleToRawLongBits(SoftmaxCrossEntropy.loss(probs[r], labels[r])),
                    Double.doubleToRawLongBits(SoftmaxCrossEntropy.loss(probs[r], onehot[r], classes)), "row " + r);
        }
        double byLabel = SoftmaxCrossEntropy.lossSum(probs, labels);
        double byOneHot = SoftmaxCrossEntropy.lossSum(probs, onehot);
        assertEquals(Double.doubleToRawLongBits(byLabel), Double.doubleToRawLongBits(byOneHot));
        assertTrue(byLabel > 0);
    }

    @Test
    void largeLogitsStayFinite() {
        double[] logits = {1000, 1001, 1002, -1000};
        double[] probs = new double[4];
        SoftmaxCrossEntropy.softmax(logits, probs, 4);
        double sum = 0;
        for (double p : probs) {
            assertTrue(Double.isFinite(p));
            sum += p;
        }
        assertEquals(1.0, sum, 1e-15);
        // softmax([0,1,2]) for the three large logits
        assertEquals(Math.exp(2) / (1 + Math.E + Math.exp(2)), probs[2], 1e-15);
        assertEquals(-Math.log(1e-7), SoftmaxCrossEntropy.loss(probs, 3), 1e-9); // p underflows to 0: the guard
        assertTrue(Double.isFinite(SoftmaxCrossEntropy.loss(probs, 0)));
    }

    @Test
    void outputGradientIsProbabilitiesMinusOneHot() {
        double[] grad = new double[10];
        SoftmaxCrossEntropy.outputGradient(Y, 2, grad, 10);
        assertEquals(0.6 - 1.0, grad[2], 0.0);
        assertEquals(0.1, grad[0], 0.0);
        double sum = 0;
        for (double g : grad) {
            sum += g;
        }
        assertEquals(0.0, sum, 1e-15);
    }
}
