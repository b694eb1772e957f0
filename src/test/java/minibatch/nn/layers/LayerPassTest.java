package minibatch.nn.layers;

import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pass's contract: gradient and loss sums over rows, fixed bits for a seed, and dense layers laid out as BatchBackprop's. */
class LayerPassTest {
    private static final String CNN = "conv3x3x4p1,relu,maxpool2,conv2x2x3,tanh,dense8,relu";

    private static LayerNetwork network(String spec, String image, int classes) {
        return LayerNetwork.of(ImageShape.parse(image), LayerSpec.parse(spec), classes);
    }

    private static double[] gaussian(int n, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * rng.nextGaussian();
        }
        return a;
    }

    private static int[] labels(int rows, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rng.nextInt(classes);
        }
        return y;
    }

    @Test
    void oneCallOverTheRowsIsTheSumOfOneCallPerRow() {
        LayerNetwork net = network(CNN, "8x8x2", 5);
        int rows = 7;
        int size = net.input().size();
        double[] x = gaussian(rows * size, 1.0, 1);
        int[] y = labels(rows, 5, 1);
        double[] params = gaussian(net.parameterCount(), 0.3, 2);
        LayerPass batch = new LayerPass(net);
        System.arraycopy(x, 0, batch.input(), 0, x.length);
        double[] together = new double[params.length];
        double loss = batch.accumulate(params, y, rows, together, 0.0, null);

        LayerPass single = new LayerPass(net, 1);
        double[] summed = new double[params.length];
        double rowLosses = 0.0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * size, single.input(), 0, size);
            rowLosses = single.accumulate(params, new int[] {y[r]}, 1, summed, rowLosses, null);
        }
        assertEquals(rowLosses, loss, 1e-12);
        double largest = 0;
        for (int i = 0; i < params.length; i++) {
            assertEquals(summed[i], together[i], 1e-12, "entry " + i);
            largest = Math.max(largest, Math.abs(summed[i]));
        }
        assertTrue(largest > 0.1, "a sum, not a mean: " + largest);
        // accumulate adds onto what the arrays hold
        double again = batch.accumulate(params, y, rows, together, loss, null);
        assertEquals(2 * loss, again, 1e-12);
        assertEquals(2 * summed[0], together[0], 1e-12);
    }

    @Test
    void theSameSeedGivesTheSameBitsAndDropoutDrawsFromIt() {
        LayerNetwork net = network("conv3x3x4,relu,dropout0.5,dense6,sigmoid,dropout0.2", "6x6x2", 4);
        int rows = 9;
        double[] x = gaussian(rows * net.input().size(), 1.0, 3);
        int[] y = labels(rows, 4, 3);
        double[] params = LayerInitializer.initialize(net, new SplittableRandom(4));
        double[][] grads = new double[3][params.length];
        double[] losses = new double[3];
        long[] seeds = {10, 10, 11};
        for (int run = 0; run < 3; run++) {
            LayerPass pass = new LayerPass(net, rows);
            System.arraycopy(x, 0, pass.input(), 0, x.length);
            losses[run] = pass.accumulate(params, y, rows, grads[run], 0.0, new SplittableRandom(seeds[run]));
        }
        assertArrayEquals(grads[0], grads[1]);
        assertEquals(losses[0], losses[1]);
        assertFalse(java.util.Arrays.equals(grads[0], grads[2]), "another seed drops other values");
        double[] plain = new double[params.length];
        LayerPass pass = new LayerPass(net, rows);
        System.arraycopy(x, 0, pass.input(), 0, x.length);
        pass.accumulate(params, y, rows, plain, 0.0, null);
        assertFalse(java.util.Arrays.equals(plain, grads[0]), "dropout changed the gradient");
    }

    /** A dense-only spec lays its parameters out as NetworkShape does and computes what BatchBackprop computes. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SIGMOID", "RELU", "TANH"})
    void aDenseSpecIsBatchBackpropsNetwork(Activation act) {
        String a = act.id();
        LayerNetwork net = network("dense10," + a + ",dense7," + a, "4x4x2", 5);
        NetworkShape shape = NetworkShape.of(32, new int[] {10, 7}, 5, act);
        assertEquals(shape.parameterCount(), net.parameterCount());
        assertEquals(shape.biasOffset(1), net.layers().get(2).biasOffset());
        int rows = 11;
        double[] x = gaussian(rows * 32, 1.0, 5);
        int[] y = labels(rows, 5, 5);
        double[] params = gaussian(net.parameterCount(), 0.5, 6);
        LayerPass pass = new LayerPass(net, rows);
        BatchBackprop reference = new BatchBackprop(shape);
        System.arraycopy(x, 0, pass.input(), 0, x.length);
        System.arraycopy(x, 0, reference.input(), 0, x.length);
        double[] want = reference.forward(params, rows).clone();
        double[] got = pass.forward(params, rows).clone();
        for (int i = 0; i < rows * 5; i++) {
            assertEquals(want[i], got[i], 1e-12, "probability " + i);
        }
        double[] wantGrad = new double[params.length];
        double[] gotGrad = new double[params.length];
        double wantLoss = reference.accumulate(params, y, rows, wantGrad, 0.0, 0.0, null);
        double gotLoss = pass.accumulate(params, y, rows, gotGrad, 0.0, null);
        assertEquals(wantLoss, gotLoss, 1e-12);
        for (int i = 0; i < params.length; i++) {
            assertEquals(wantGrad[i], gotGrad[i], 1e-12, "gradient " + i);
        }
    }

    @Test
    void forwardIsTheSoftmaxOfTheLogitsAndNeedsTheRightParameterCount() {
        LayerNetwork net = network(CNN, "8x8x2", 5);
        LayerPass pass = new LayerPass(net, 3);
        double[] x = gaussian(3 * net.input().size(), 1.0, 7);
        System.arraycopy(x, 0, pass.input(), 0, x.length);
        double[] params = gaussian(net.parameterCount(), 0.3, 8);
        double[] logits = pass.logits(params, 3).clone();
        double[] probs = pass.forward(params, 3);
        for (int r = 0; r < 3; r++) {
            double[] row = java.util.Arrays.copyOfRange(logits, r * 5, r * 5 + 5);
            SoftmaxCrossEntropy.softmax(row, 0, 5);
            assertArrayEquals(row, java.util.Arrays.copyOfRange(probs, r * 5, r * 5 + 5));
        }
        assertThrows(IllegalArgumentException.class, () -> pass.forward(params, 4));
        assertThrows(IllegalArgumentException.class, () -> pass.forward(new double[params.length - 1], 1));
    }
}
