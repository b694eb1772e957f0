package minibatch.nn.layers;

import java.util.List;
import minibatch.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parsing the spec users type, its messages, and its fit to an input shape. */
class LayerSpecTest {
    private static final String EXPECTED = "expected conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], dense<N>, dropout<P>, "
            + "sigmoid, relu, tanh or step";

    @Test
    void theTextbookConvNetParsesToItsSixLayers() {
        LayerSpec spec = LayerSpec.parse("conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2");
        assertEquals(List.of(
                new LayerToken.ConvToken("conv5x5x16", 5, 16, 1, 0),
                new LayerToken.ActivationToken("relu", Activation.RELU),
                new LayerToken.MaxPoolToken("maxpool2", 2, 2),
                new LayerToken.ConvToken("conv5x5x32", 5, 32, 1, 0),
                new LayerToken.ActivationToken("relu", Activation.RELU),
                new LayerToken.MaxPoolToken("maxpool2", 2, 2)), spec.tokens());
        assertEquals(List.of(new ImageShape(24, 24, 16), new ImageShape(24, 24, 16), new ImageShape(12, 12, 16),
                new ImageShape(8, 8, 32), new ImageShape(8, 8, 32), new ImageShape(4, 4, 32)),
                spec.shapes(new ImageShape(28, 28, 1)));
    }

    @Test
    void aDenseLayerAndItsActivationAreTwoTokens() {
        assertEquals(List.of(new LayerToken.DenseToken("dense256", 256), new LayerToken.ActivationToken("relu", Activation.RELU)),
                LayerSpec.parse("dense256,relu").tokens());
    }

    @Test
    void caseAndBlanksAroundCommasDoNotMatterAndSuffixesAreRead() {
        LayerSpec spec = LayerSpec.parse(" CONV3x3x8S2P1 , ReLU,MaxPool3s2 ,Dropout0.25,  dense7 ,Tanh,step,sigmoid,dropout.5");
        assertEquals(new LayerToken.ConvToken("CONV3x3x8S2P1", 3, 8, 2, 1), spec.tokens().get(0));
        assertEquals(new LayerToken.MaxPoolToken("MaxPool3s2", 3, 2), spec.tokens().get(2));
        assertEquals(new LayerToken.DropoutToken("Dropout0.25", 0.25), spec.tokens().get(3));
        assertEquals(new LayerToken.DropoutToken("dropout.5", 0.5), spec.tokens().get(8));
        assertEquals("conv3x3x8s2p1,relu,maxpool3s2,dropout0.25,dense7,tanh,step,sigmoid,dropout0.5", spec.toString());
        assertEquals(spec.tokens().stream().map(LayerToken::canonical).toList(),
                LayerSpec.parse(spec.toString()).tokens().stream().map(LayerToken::canonical).toList());
    }

    @Test
    void stridesAndPaddingGiveTheFlooredSizes() {
        // (9 + 2 - 3) / 2 + 1 = 5; (5 - 3) / 2 + 1 = 2; (2 + 4 - 2) / 1 + 1 = 5
        assertEquals(List.of(new ImageShape(5, 5, 8), new ImageShape(2, 2, 8), new ImageShape(5, 5, 3), new ImageShape(1, 1, 4)),
                LayerSpec.parse("conv3x3x8s2p1,maxpool3s2,conv2x2x3p2,dense4").shapes(new ImageShape(9, 9, 3)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "conv5x5x16,relu,maxpol2      | layer 3 'maxpol2': " + EXPECTED,
        "relu,,dense4                 | layer 2 '': " + EXPECTED,
        "softmax                      | layer 1 'softmax': " + EXPECTED,
        "conv3x3                      | layer 1 'conv3x3': " + EXPECTED,
        "dense10 relu                 | layer 1 'dense10 relu': " + EXPECTED,
        "dropout-0.5                  | layer 1 'dropout-0.5': " + EXPECTED,
        "conv3x5x8                    | layer 1 'conv3x5x8': the kernel must be square (conv<K>x<K>x<C>), not 3x5",
        "conv0x0x8                    | layer 1 'conv0x0x8': the kernel size must be at least 1, not 0",
        "relu,conv3x3x0               | layer 2 'conv3x3x0': the number of filters must be at least 1, not 0",
        "conv3x3x4s0                  | layer 1 'conv3x3x4s0': the stride must be at least 1, not 0",
        "maxpool2s0                   | layer 1 'maxpool2s0': the stride must be at least 1, not 0",
        "maxpool0                     | layer 1 'maxpool0': the window must be at least 1, not 0",
        "dense0                       | layer 1 'dense0': the number of units must be at least 1, not 0",
        "Dense99999999                | layer 1 'Dense99999999': the number of units must be at most 1048576, not 99999999",
        "dense4,DROPOUT1              | layer 2 'DROPOUT1': the dropout probability must be in [0, 1), not 1",
    })
    void aBadTokenIsNamedWithItsPositionAndWhatWasExpected(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(spec));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "conv5x5x16,relu,maxpool2,conv5x5x32 | 12x12x1 | layer 4 'conv5x5x32': its input is 4x4x16, smaller than the 5x5 kernel",
        "conv7x7x8p1                         | 4x4x3   | layer 1 'conv7x7x8p1': its input is 4x4x3 (6x6 padded), smaller than the 7x7 kernel",
        "conv3x3x2,maxpool3                  | 4x5x1   | layer 2 'maxpool3': its input is 2x3x2, smaller than the 3x3 window",
        "dense10,relu,conv3x3x4              | 8x8x1   | layer 3 'conv3x3x4': a convolution cannot follow a dense layer (layer 1 'dense10'): its input is flat",
        "dense10,MaxPool2                    | 8x8x1   | layer 2 'MaxPool2': a max-pool cannot follow a dense layer (layer 1 'dense10'): its input is flat",
    })
    void aLayerThatDoesNotFitItsInputIsRefused(String spec, String image, String message) {
        LayerSpec parsed = LayerSpec.parse(spec);
        ImageShape input = ImageShape.parse(image);
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parsed.shapes(input)).getMessage());
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> LayerNetwork.of(input, parsed, 10)).getMessage());
    }

    @Test
    void anImageShapeIsHeightByWidthByChannels() {
        assertEquals(new ImageShape(28, 14, 3), ImageShape.parse(" 28X14x3 "));
        assertEquals("expected <H>x<W>x<C>, e.g. 28x28x1, not '8x8'",
                assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("8x8")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("0x8x1"));
    }
}
