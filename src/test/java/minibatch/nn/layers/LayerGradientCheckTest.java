package minibatch.nn.layers;

import java.util.List;
import java.util.SplittableRandom;
import minibatch.nn.GradientCheck.BlockError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer pass's gradient against central finite differences of the unguarded loss, block by block. */
class LayerGradientCheckTest {
    private record Case(LayerNetwork network, double[] params, double[][] inputs, int[] labels) {
    }

    /**
     * A random network and batch: weights as initialised, biases 0.1 · N(0,1); inputs in [0, 1) with
     * a quarter exact zeros, or, with {@code integers}, in 0..3 so that max-pool windows tie.
     */
    private static Case random(String spec, String image, int classes, boolean integers, long seed) {
        LayerNetwork network = LayerNetwork.of(ImageShape.parse(image), LayerSpec.parse(spec), classes);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = LayerInitializer.initialize(network, rng);
        for (LayerNetwork.PlacedLayer l : network.layers()) {
            for (int i = l.biasOffset(); i < l.biasOffset() + l.biasCount(); i++) {
                params[i] = 0.1 * rng.nextGaussian();
            }
        }
        int rows = 5;
        double[][] inputs = new double[rows][network.input().size()];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs[r].length; i++) {
                inputs[r][i] = integers ? rng.nextInt(4) : rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
            }
            labels[r] = rng.nextInt(classes);
        }
        return new Case(network, params, inputs, labels);
    }

    private static List<BlockError> check(Case c) {
        return LayerGradientCheck.check(c.network, c.params, c.inputs, c.labels, 1e-5);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "conv3x3x4                         | 6x6x1 | false", // stride 1, no padding
        "conv3x3x4s2p1                     | 7x7x2 | false", // stride 2, padding 1
        "conv3x3x3,tanh,conv2x2x4          | 6x6x2 | false", // two convolutions, 2 input channels
        "conv3x3x3p1,relu,conv3x3x4s2,relu | 7x7x2 | false",
        "maxpool2                          | 6x6x2 | true",  // integer inputs: the pooled windows tie
        "conv2x2x3,maxpool2                | 8x8x1 | false", // the pool's input is 7x7: floor
        "conv2x2x3,relu,maxpool3s2         | 8x8x2 | false", // overlapping windows
        "conv3x3x4,relu,maxpool2,dense6,sigmoid | 8x8x2 | false", // dense after conv and pool
        "dense7,tanh,dense5,relu           | 3x3x2 | false",
        "conv3x3x4,relu,dropout0.5,dense6,tanh  | 6x6x2 | false", // dropout passes rows through without masks
    })
    void everyBlockMatchesFiniteDifferences(String spec, String image, boolean integers) {
        Case c = random(spec, image, 4, integers, 21);
        List<BlockError> blocks = check(c);
        long withParameters = c.network.layers().stream().filter(LayerNetwork.PlacedLayer::hasParameters).count();
        assertEquals(2 * withParameters, blocks.size());
        for (BlockError b : blocks) {
            assertTrue(b.maxRelativeError() < 1e-6, spec + " " + b);
            assertTrue(b.maxAbsAnalytic() > 1e-4, "every block learns: " + spec + " " + b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "relu", "tanh", "step"})
    void eachActivationAfterAConvolutionAndADenseLayer(String activation) {
        String spec = "conv3x3x3," + activation + ",dense5," + activation;
        List<BlockError> blocks = check(random(spec, "6x6x2", 3, false, 22));
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), blocks.stream().map(BlockError::name).toList());
        for (BlockError b : blocks) {
            assertTrue(b.maxRelativeError() < 1e-6, spec + " " + b);
        }
        assertTrue(blocks.get(4).maxAbsAnalytic() > 1e-3, "the output layer learns: " + blocks.get(4));
        if (activation.equals("step")) {
            // nothing below a step learns, and the differences agree
            assertEquals(0.0, blocks.get(0).maxAbsAnalytic());
            assertEquals(0.0, blocks.get(0).maxAbsNumeric());
            assertEquals(0.0, blocks.get(3).maxAbsAnalytic());
        } else {
            assertTrue(blocks.get(0).maxAbsAnalytic() > 1e-4, spec + " " + blocks.get(0));
        }
    }

    @Test
    void aWrongGradientIsCaughtInItsOwnBlock() {
        Case c = random("conv3x3x4s2p1,relu,maxpool2", "8x8x2", 4, false, 23);
        LayerPass pass = new LayerPass(c.network, c.labels.length);
        for (int r = 0; r < c.labels.length; r++) {
            System.arraycopy(c.inputs[r], 0, pass.input(), r * c.network.input().size(), c.inputs[r].length);
        }
        double[] analytic = new double[c.params.length];
        pass.accumulate(c.params, c.labels, c.labels.length, analytic, 0.0, null);
        int b1 = c.network.layers().get(0).biasOffset();
        analytic[b1] *= 1.001; // a 0.1% error in one conv bias
        List<BlockError> blocks = LayerGradientCheck.check(c.network, c.params, c.inputs, c.labels, analytic, 1e-5);
        assertTrue(blocks.get(1).maxRelativeError() > 1e-5, blocks.get(1).toString());
        assertTrue(blocks.get(0).maxRelativeError() < 1e-6, blocks.get(0).toString());
        assertTrue(blocks.get(2).maxRelativeError() < 1e-6, blocks.get(2).toString());
    }
}
