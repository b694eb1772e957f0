package minibatch.nn.f32;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static minibatch.nn.f32.FloatPassFixtures.assertBlocksClose;
import static minibatch.nn.f32.FloatPassFixtures.assertClose;
import static minibatch.nn.f32.FloatPassFixtures.labels;
import static minibatch.nn.f32.FloatPassFixtures.load;
import static minibatch.nn.f32.FloatPassFixtures.params;
import static minibatch.nn.f32.FloatPassFixtures.pixels;
import static minibatch.nn.f32.FloatPassFixtures.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 pass against the float64 one ({@link BatchBackprop}) on the same weights and inputs:
 * gradient sums per parameter block, loss sums and probabilities within 1e-5 relative, with and
 * without dropout (the same masks from the same seed).
 */
class FloatBatchBackpropTest {
    private static final int ROWS = 100;
    private static final double RELATIVE = 1e-5;

    private static final LayerKernel S = LayerKernel.SPARSE_ROWS;
    private static final LayerKernel G = LayerKernel.DENSE_GEMM;

    /** The networks: name, shape, initializer, kernels. */
    static Stream<Arguments> networks() {
        NetworkShape textbook = NetworkShape.of(784, new int[] {50}, 10, Activation.SIGMOID);
        NetworkShape relu = NetworkShape.of(784, new int[] {256}, 10, Activation.RELU);
        NetworkShape tanh = NetworkShape.of(784, new int[] {256, 256, 256}, 10, Activation.TANH);
        Stream<Arguments> nets = Stream.of(
                Arguments.of("784-50-10 sigmoid, textbook init", textbook, Initializer.STD, new LayerKernel[] {S, S}),
                Arguments.of("784-50-10 sigmoid", textbook, Initializer.XAVIER, new LayerKernel[] {S, S}),
                Arguments.of("784-256-10 relu", relu, Initializer.HE, new LayerKernel[] {S, S}),
                // LayerKernel.of keeps a 10-wide output on the row kernel; forced here, sgemm runs it
                Arguments.of("784-256-10 relu, sgemm output", relu, Initializer.HE, new LayerKernel[] {S, G}),
                Arguments.of("784-256-256-256-10 tanh", tanh, Initializer.XAVIER, new LayerKernel[] {S, G, G, S}));
        return nets.flatMap(a -> Stream.of(0.0, 0.3).map(p -> Arguments.of(a.get()[0], a.get()[1], a.get()[2],
                a.get()[3], p)));
    }

    @ParameterizedTest(name = "{0}, dropout {4}")
    @MethodSource("networks")
    void gradientLossAndProbabilitiesMatchFloat64(String name, NetworkShape shape, Initializer init,
                                                  LayerKernel[] kernels, double dropout) {
        if (!name.endsWith("sgemm output")) {
            assertArrayEquals(LayerKernel.of(shape), kernels, "the kernels training picks");
        }
        double[] params = params(shape, init, 5);
        double[] x = pixels(ROWS, shape.inputs(), 7);
        int[] y = labels(ROWS, shape.classes(), 7);
        BatchBackprop wide = new BatchBackprop(shape, kernels);
        FloatBatchBackprop narrow = new FloatBatchBackprop(shape, kernels);
        load(x, wide, narrow);
        float[] params32 = toFloat(params);

        SplittableRandom rng64 = new SplittableRandom(11);
        SplittableRandom rng32 = new SplittableRandom(11);
        double[] grad64 = new double[shape.parameterCount()];
        float[] grad32 = new float[shape.parameterCount()];
        double loss64 = wide.accumulate(params, y, ROWS, grad64, 1.5, dropout, rng64);
        double loss32 = narrow.accumulate(params32, y, ROWS, grad32, 1.5, dropout, rng32);

        assertEquals(loss64, loss32, RELATIVE * loss64, name + " loss sum");
        double worst = assertBlocksClose(shape, grad64, grad32, RELATIVE, name);
        assertTrue(worst > 0.0, "the float32 pass rounds differently somewhere: " + worst);
        assertEquals(rng64.nextLong(), rng32.nextLong(), "both passes drew as many numbers");

        double[] probs64 = wide.forward(params, ROWS);
        float[] probs32 = narrow.forward(params32, ROWS);
        assertClose(probs64, probs32, 0, ROWS * shape.classes(), RELATIVE, name + " probabilities");
        double[] logits64 = wide.logits(params, ROWS);
        float[] logits32 = narrow.logits(params32, ROWS);
        assertClose(logits64, logits32, 0, ROWS * shape.classes(), RELATIVE, name + " logits");
    }

    @Test
    void withDropoutTheGradientDiffersFromWithout() {
        // so the dropout cases above compare passes that really drop units
        NetworkShape shape = NetworkShape.of(784, new int[] {50}, 10, Activation.SIGMOID);
        float[] params = toFloat(params(shape, Initializer.XAVIER, 5));
        FloatBatchBackprop pass = new FloatBatchBackprop(shape);
        double[] x = pixels(ROWS, 784, 7);
        for (int i = 0; i < x.length; i++) {
            pass.input()[i] = (float) x[i];
        }
        int[] y = labels(ROWS, 10, 7);
        float[] plain = new float[shape.parameterCount()];
        float[] dropped = new float[shape.parameterCount()];
        pass.accumulate(params, y, ROWS, plain, 0.0, 0.0, null);
        pass.accumulate(params, y, ROWS, dropped, 0.0, 0.5, new SplittableRandom(3));
        double differ = 0;
        for (int i = 0; i < plain.length; i++) {
            differ = Math.max(differ, Math.abs(plain[i] - dropped[i]));
        }
        assertTrue(differ > 1e-2, "largest difference " + differ);
    }

    @Test
    void softmaxSubtractsTheRowMaxSoLargeLogitsStayFinite() {
        // one bias of 200 puts exp(logit) far beyond float's range (e^88.7) unless the max is subtracted
        NetworkShape shape = new NetworkShape(new int[] {4, 3}, Activation.RELU);
        float[] params = new float[shape.parameterCount()];
        params[shape.biasOffset(0)] = 200f;
        params[shape.biasOffset(0) + 1] = 199f;
        FloatBatchBackprop pass = FloatBatchBackprop.oneRow(shape);
        float[] probs = pass.forward(params, 1);
        assertEquals(1 / (1 + Math.exp(-1) + Math.exp(-200)), probs[0], 1e-6);
        assertEquals(Math.exp(-1) / (1 + Math.exp(-1)), probs[1], 1e-6);
        float[] grad = new float[shape.parameterCount()];
        // class 2's probability is below float's smallest: the guard keeps the loss finite, -log(1e-7)
        double loss = pass.accumulate(params, new int[] {2}, 1, grad, 0.0, 0.0, null);
        assertEquals(-Math.log(1e-7), loss, 1e-5);
    }

    @Test
    void aReusedPerThreadPassComputesWhatAFreshOneDoes() {
        NetworkShape shape = NetworkShape.of(784, new int[] {256, 256}, 10, Activation.RELU);
        FloatBatchBackprop pass = FloatBatchBackprop.forThread(shape);
        assertTrue(pass == FloatBatchBackprop.forThread(shape), "the same pass for the same shape");
        float[] params = toFloat(params(shape, Initializer.HE, 2));
        SplittableRandom rng = new SplittableRandom(9);
        int[] y = rng.ints(FloatBatchBackprop.MAX_ROWS, 0, 10).toArray();
        double[] x = pixels(FloatBatchBackprop.MAX_ROWS, 784, 4);
        for (int i = 0; i < x.length; i++) {
            pass.input()[i] = (float) x[i];
        }
        float[] input = java.util.Arrays.copyOf(pass.input(), 37 * 784);
        // a full call with dropout first leaves every buffer written
        pass.accumulate(params, y, FloatBatchBackprop.MAX_ROWS, new float[params.length], 0.0, 0.4, new SplittableRandom(1));
        System.arraycopy(input, 0, pass.input(), 0, input.length);
        float[] reused = new float[params.length];
        double reusedLoss = pass.accumulate(params, y, 37, reused, 0.0, 0.2, new SplittableRandom(6));
        FloatBatchBackprop fresh = new FloatBatchBackprop(shape);
        System.arraycopy(input, 0, fresh.input(), 0, input.length);
        float[] want = new float[params.length];
        double wantLoss = fresh.accumulate(params, y, 37, want, 0.0, 0.2, new SplittableRandom(6));
        assertEquals(Double.doubleToRawLongBits(wantLoss), Double.doubleToRawLongBits(reusedLoss));
        assertArrayEquals(want, reused);
        assertTrue(pass != FloatBatchBackprop.forThread(NetworkShape.of(784, new int[] {50}, 10, Activation.RELU)),
                "another shape gets its own pass");
    }

    @Test
    void rowsOutsideTheBuffersAreRefusedAndNoRowsAddNothing() {
        NetworkShape shape = NetworkShape.of(20, new int[] {8}, 3, Activation.TANH);
        FloatBatchBackprop pass = new FloatBatchBackprop(shape);
        float[] params = new float[shape.parameterCount()];
        float[] grad = new float[shape.parameterCount()];
        assertThrows(IllegalArgumentException.class, () -> pass.accumulate(params, new int[FloatBatchBackprop.MAX_ROWS + 1],
                FloatBatchBackprop.MAX_ROWS + 1, grad, 0.0, 0.0, null));
        assertThrows(IllegalArgumentException.class, () -> FloatBatchBackprop.oneRow(shape).forward(params, 2));
        assertThrows(IllegalArgumentException.class, () -> new FloatBatchBackprop(shape, new LayerKernel[] {S}));
        assertEquals(2.5, pass.accumulate(params, new int[0], 0, grad, 2.5, 0.0, null));
        assertArrayEquals(new float[shape.parameterCount()], grad);
    }
}
