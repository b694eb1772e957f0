package minibatch.nn.layers;

import java.util.SplittableRandom;
import minibatch.nn.Initializer;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flat parameter layout, the network's name and its initial weights. */
class LayerNetworkTest {
    private static final LayerNetwork TEXTBOOK = LayerNetwork.of(new ImageShape(28, 28, 1),
            LayerSpec.parse("conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2"), 10);

    @Test
    void parametersAreWThenBLayerByLayer() {
        var layers = TEXTBOOK.layers();
        assertEquals(7, layers.size());
        assertEquals(new LayerNetwork.PlacedLayer(new LayerToken.ConvToken("conv5x5x16", 5, 16, 1, 0),
                new ImageShape(28, 28, 1), new ImageShape(24, 24, 16), 0, 5 * 5 * 1 * 16, 16), layers.get(0));
        int conv2 = 5 * 5 * 1 * 16 + 16;
        assertEquals(conv2, layers.get(1).weightOffset()); // relu and maxpool hold nothing
        assertEquals(conv2, layers.get(3).weightOffset());
        assertEquals(5 * 5 * 16 * 32, layers.get(3).weightCount());
        int dense = conv2 + 5 * 5 * 16 * 32 + 32;
        assertEquals(dense, layers.get(6).weightOffset());
        assertEquals(new ImageShape(4, 4, 32), layers.get(6).input());
        assertEquals(4 * 4 * 32 * 10, layers.get(6).weightCount());
        assertEquals(dense + 4 * 4 * 32 * 10, layers.get(6).biasOffset());
        assertEquals(dense + 4 * 4 * 32 * 10 + 10, TEXTBOOK.parameterCount());
        assertEquals(24 * 24 * 16, TEXTBOOK.maxWidth());
    }

    @Test
    void itsNameListsTheInputTheLayersAndTheOutput() {
        assertEquals("28x28x1 conv5x5x16 relu maxpool2 conv5x5x32 relu maxpool2 dense10 softmax", TEXTBOOK.toString());
        assertEquals("4x4x3 conv3x3x8s2p1 dropout0.5 dense3 softmax",
                LayerNetwork.of(new ImageShape(4, 4, 3), LayerSpec.parse("Conv3x3x8s2P1,dropout0.50"), 3).toString());
    }

    @Test
    void heBeforeReluXavierElsewhereBiasesZeroSameSeedSameWeights() {
        double[] params = LayerInitializer.initialize(TEXTBOOK, new SplittableRandom(1));
        var layers = TEXTBOOK.layers();
        var conv2 = layers.get(3);
        var out = layers.get(6);
        assertEquals(Math.sqrt(2.0 / (5 * 5 * 16)), std(params, conv2.weightOffset(), conv2.biasOffset()),
                0.03 * Math.sqrt(2.0 / 400));
        assertEquals(Math.sqrt(1.0 / 512), std(params, out.weightOffset(), out.biasOffset()), 0.03 * Math.sqrt(1.0 / 512));
        for (int i = conv2.biasOffset(); i < conv2.biasOffset() + conv2.biasCount(); i++) {
            assertEquals(0.0, params[i]);
        }
        assertArrayEquals(params, LayerInitializer.initialize(TEXTBOOK, new SplittableRandom(1)));
        assertFalse(java.util.Arrays.equals(params, LayerInitializer.initialize(TEXTBOOK, new SplittableRandom(2))));
        double[] std = LayerInitializer.initialize(TEXTBOOK, Initializer.STD, new SplittableRandom(1));
        assertEquals(0.01, std(std, conv2.weightOffset(), conv2.biasOffset()), 0.0003);
    }

    private static double std(double[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += a[i] * a[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** A pass runs 64 rows at a time unless their buffers would pass 64 MB; a network too large for one row is refused. */
    @Test
    void wideNetworksRunFewerRowsPerCallAndOneRowMustFit() {
        LayerNetwork textbook = LayerNetwork.of(new ImageShape(28, 28, 1),
                LayerSpec.parse("conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2"), 10);
        assertEquals(64, LayerPass.rowsFor(textbook));
        LayerNetwork wide = LayerNetwork.of(new ImageShape(64, 64, 3), LayerSpec.parse("conv3x3x64p1,relu,conv3x3x64p1"), 10);
        int rows = LayerPass.rowsFor(wide);
        assertTrue(rows >= 1 && rows < 64, "rows " + rows);
        assertTrue((long) rows * wide.bufferValuesPerRow() <= LayerPass.BUFFER_VALUES);
        assertEquals(rows, new LayerPass(wide).maxRows());
        minibatch.UserError tooLarge = org.junit.jupiter.api.Assertions.assertThrows(minibatch.UserError.class,
                () -> minibatch.config.TrainingConfig.textbook("d", "o", 1, 1, 1).withLayers("conv3x3x512p1")
                        .network(new ImageShape(512, 512, 3), 10));
        assertEquals("--layers: one image of 512x512x3 needs 3132 MB of buffers in a task, more than 1024 MB",
                tooLarge.getMessage());
    }
}
