package minibatch.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch pass against the row-by-row reference ({@link Backprop#accumulate} per row): bit for bit
 * with the row kernel on every layer, to 1e-12 of the largest entry with {@code dgemm} layers.
 */
class BatchBackpropTest {
    private static final int INPUTS = 64;

    /** {@code rows} inputs about 20% non-zero, like MNIST pixels, and their labels. */
    private static double[][] inputs(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[rows][INPUTS];
        for (double[] row : x) {
            for (int i = 0; i < INPUTS; i++) {
                row[i] = rng.nextDouble() < 0.2 ? rng.nextInt(1, 256) / 255.0 : 0.0;
            }
        }
        return x;
    }

    private static int[] labels(int rows, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 77);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rng.nextInt(classes);
        }
        return y;
    }

    private record Sums(double loss, double[] gradient) {
    }

    private static Sums reference(NetworkShape shape, double[] params, double[][] x, int[] y, double dropout, long seed) {
        Backprop pass = new Backprop(shape);
        double[] grad = new double[shape.parameterCount()];
        SplittableRandom rng = new SplittableRandom(seed);
        double loss = 0.0;
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, pass.input(), 0, INPUTS);
            loss += pass.accumulate(params, y[r], grad, dropout, rng);
        }
        return new Sums(loss, grad);
    }

    private static Sums batch(NetworkShape shape, LayerKernel[] kernels, double[] params, double[][] x, int[] y,
                              double dropout, long seed) {
        BatchBackprop pass = new BatchBackprop(shape, kernels);
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, pass.input(), r * INPUTS, INPUTS);
        }
        double[] grad = new double[shape.parameterCount()];
        double loss = pass.accumulate(params, y, x.length, grad, 0.0, dropout, new SplittableRandom(seed));
        return new Sums(loss, grad);
    }

    private static NetworkShape shape(Activation act) {
        return new NetworkShape(new int[] {INPUTS, 160, 130, 10}, act);
    }

    @ParameterizedTest
    @CsvSource({"SIGMOID, 0.0", "RELU, 0.0", "RELU, 0.3", "TANH, 0.5"})
    void theRowKernelOnEveryLayerIsTheReferenceBitForBit(Activation act, double dropout) {
        NetworkShape shape = shape(act);
        double[] params = Initializer.HE.initialize(shape, new SplittableRandom(3));
        double[][] x = inputs(57, 11);
        int[] y = labels(57, 10, 11);
        LayerKernel[] rows = {LayerKernel.SPARSE_ROWS, LayerKernel.SPARSE_ROWS, LayerKernel.SPARSE_ROWS};
        Sums want = reference(shape, params, x, y, dropout, 5);
        Sums got = batch(shape, rows, params, x, y, dropout, 5);
        assertEquals(Double.doubleToRawLongBits(want.loss()), Double.doubleToRawLongBits(got.loss()));
        assertArrayEquals(want.gradient(), got.gradient());
    }

    @ParameterizedTest
    @CsvSource({"SIGMOID, 0.0", "RELU, 0.0", "RELU, 0.3", "TANH, 0.5"})
    void dgemmLayersComputeTheReferenceSumsTo1e12(Activation act, double dropout) {
        NetworkShape shape = shape(act);
        double[] params = Initializer.HE.initialize(shape, new SplittableRandom(4));
        double[][] x = inputs(100, 12);
        int[] y = labels(100, 10, 12);
        assertArrayEquals(new LayerKernel[] {LayerKernel.SPARSE_ROWS, LayerKernel.DENSE_GEMM, LayerKernel.SPARSE_ROWS},
                LayerKernel.of(shape));
        Sums want = reference(shape, params, x, y, dropout, 6);
        Sums got = batch(shape, LayerKernel.of(shape), params, x, y, dropout, 6);
        assertEquals(want.loss(), got.loss(), 1e-12 * Math.abs(want.loss()));
        for (int l = 0; l < shape.layers(); l++) {
            int from = shape.weightOffset(l);
            int to = l + 1 < shape.layers() ? shape.weightOffset(l + 1) : shape.parameterCount();
            double largest = 0.0;
            double worst = 0.0;
            for (int i = from; i < to; i++) {
                largest = Math.max(largest, Math.abs(want.gradient()[i]));
                worst = Math.max(worst, Math.abs(want.gradient()[i] - got.gradient()[i]));
            }
            assertTrue(largest > 0.0, "layer " + l + " has a gradient");
            assertTrue(worst <= 1e-12 * largest, "layer " + l + ": " + worst + " against " + largest);
        }
        // and the dgemm layers are really used: their rounding differs from the row kernel's somewhere
        assertFalse(Arrays.equals(want.gradient(), got.gradient()));
    }

    @Test
    void theForwardPassGivesTheRowPassesProbabilities() {
        NetworkShape shape = shape(Activation.RELU);
        double[] params = Initializer.HE.initialize(shape, new SplittableRandom(8));
        double[][] x = inputs(200, 13);
        Backprop rowPass = new Backprop(shape);
        BatchBackprop dense = new BatchBackprop(shape);
        BatchBackprop rows = new BatchBackprop(shape,
                new LayerKernel[] {LayerKernel.SPARSE_ROWS, LayerKernel.SPARSE_ROWS, LayerKernel.SPARSE_ROWS});
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, dense.input(), r * INPUTS, INPUTS);
            System.arraycopy(x[r], 0, rows.input(), r * INPUTS, INPUTS);
        }
        double[] denseProbs = dense.forward(params, x.length);
        double[] rowProbs = rows.forward(params, x.length);
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, rowPass.input(), 0, INPUTS);
            double[] want = rowPass.forward(params);
            for (int k = 0; k < 10; k++) {
                assertEquals(want[k], rowProbs[r * 10 + k], 0.0, "row kernel, row " + r);
                assertEquals(want[k], denseProbs[r * 10 + k], 1e-12, "dgemm, row " + r);
            }
            assertEquals(rowPass.predictedClass(), rows.predictedClass(r));
        }
    }

    @Test
    void theOneRowPassAndTheLogitsGiveTheBatchPassesRows() {
        NetworkShape shape = new NetworkShape(new int[] {INPUTS, 50, 10}, Activation.RELU);
        double[] params = Initializer.HE.initialize(shape, new SplittableRandom(9));
        double[][] x = inputs(30, 14);
        BatchBackprop batch = new BatchBackprop(shape);
        BatchBackprop one = BatchBackprop.oneRow(shape);
        assertEquals(INPUTS, one.input().length);
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, batch.input(), r * INPUTS, INPUTS);
        }
        double[] probs = batch.forward(params, x.length).clone();
        double[] logits = batch.logits(params, x.length).clone();
        for (int r = 0; r < x.length; r++) {
            double[] rowLogits = Arrays.copyOfRange(logits, r * 10, r * 10 + 10);
            SoftmaxCrossEntropy.softmax(rowLogits, rowLogits, 10);
            assertArrayEquals(Arrays.copyOfRange(probs, r * 10, r * 10 + 10), rowLogits, "softmax of the logits, row " + r);
            System.arraycopy(x[r], 0, one.input(), 0, INPUTS);
            assertArrayEquals(Arrays.copyOfRange(logits, r * 10, r * 10 + 10), Arrays.copyOf(one.logits(params, 1), 10));
            assertArrayEquals(Arrays.copyOfRange(probs, r * 10, r * 10 + 10), Arrays.copyOf(one.forward(params, 1), 10));
        }
        assertThrows(IllegalArgumentException.class, () -> one.forward(params, 2));
    }

    @Test
    void kernelsByShape() {
        assertEquals("sparse_rows, sparse_rows",
                LayerKernel.describe(NetworkShape.of(784, new int[] {50}, 10, Activation.SIGMOID)));
        assertEquals("sparse_rows, sparse_rows",
                LayerKernel.describe(NetworkShape.of(784, new int[] {256}, 10, Activation.RELU)));
        assertEquals("sparse_rows, dense_gemm, sparse_rows",
                LayerKernel.describe(NetworkShape.of(784, new int[] {1024, 1024}, 10, Activation.RELU)));
        assertFalse(BatchBackprop.needed(NetworkShape.of(784, new int[] {100, 100}, 10, Activation.RELU)));
        assertTrue(BatchBackprop.needed(NetworkShape.of(784, new int[] {128, 128}, 10, Activation.RELU)));
    }

    @Test
    void tooManyRowsAreRefused() {
        NetworkShape shape = shape(Activation.RELU);
        BatchBackprop pass = new BatchBackprop(shape);
        double[] params = new double[shape.parameterCount()];
        assertThrows(IllegalArgumentException.class, () -> pass.accumulate(params, new int[BatchBackprop.MAX_ROWS + 1],
                BatchBackprop.MAX_ROWS + 1, new double[shape.parameterCount()], 0.0, 0.0, null));
    }
}
