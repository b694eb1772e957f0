package minibatch.ml;

import java.io.Serializable;
import java.util.function.Function;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.nn.Network;
import minibatch.nn.NetworkShape;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerSpec;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The network the estimator trains on a features column: the dense network of
 * {@code hiddenLayers}/{@code activation}, or the stack of {@code layers} on the features read as
 * images ({@code imageShape}, else square and gray), with Spark ML's {@code IllegalArgumentException}s
 * naming the params where the CLI names options.
 */
final class FeatureNetwork {
    private FeatureNetwork() {
    }

    /**
     * @param denseParamsSet whether hiddenLayers or activation was set (refused beside layers)
     * @param imageShape     {@code HxWxC}, or empty for a square gray image
     */
    static Network of(TrainingConfig config, boolean denseParamsSet, String imageShape, int inputs, int classes) {
        if (config.layers() == null) {
            return NetworkShape.of(inputs, config.hidden(), classes, config.activation());
        }
        if (denseParamsSet) {
            throw new IllegalArgumentException("layers replaces hiddenLayers and activation: set one or the other");
        }
        ImageShape image = images(imageShape, inputs);
        try {
            return config.network(image, classes);
        } catch (UserError e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^--layers", "layers"), e);
        }
    }

    private static ImageShape images(String imageShape, int inputs) {
        ImageShape image;
        if (!imageShape.isEmpty()) {
            image = ImageShape.parse(imageShape);
        } else {
            int side = (int) Math.round(Math.sqrt(inputs));
            if (side * side != inputs) {
                throw new IllegalArgumentException("layers: the features hold " + inputs + " values, not a square gray "
                        + "image; set imageShape (HxWxC)");
            }
            image = new ImageShape(side, side, 1);
        }
        if (image.channels() != 1 && image.channels() != 3) {
            throw new IllegalArgumentException("imageShape " + image + ": images have 1 (gray) or 3 (R, G, B) channels");
        }
        if (image.size() != inputs) {
            throw new IllegalArgumentException("imageShape " + image + " holds " + image.size() + " values, the features "
                    + inputs);
        }
        return image;
    }

    /** The estimator's {@code layers} param: a spec as {@code --layers} takes it, or empty for none. */
    static Param<String> layersParam(Params parent) {
        return ChoiceParam.validated(parent, "layers", "hidden layers as a stack instead of hiddenLayers and "
                + "activation, e.g. conv5x5x16,relu,maxpool2,conv5x5x32,relu,maxpool2 (empty: none)",
                (Function1<String, Object> & Serializable) spec -> spec.isEmpty() || parses(spec, LayerSpec::parse));
    }

    /** The estimator's {@code imageShape} param: {@code HxWxC}, or empty for a square gray image. */
    static Param<String> imageShapeParam(Params parent) {
        return ChoiceParam.validated(parent, "imageShape", "HxWxC of the images the features hold, channels last, "
                + "for layers (empty: a square gray image)",
                (Function1<String, Object> & Serializable) shape -> shape.isEmpty() || parses(shape, ImageShape::parse));
    }

    /** {@code dropout} drops units of dense hidden layers: with {@code layers}, dropout is a layer of the spec. */
    static void requireNoDropout(String layers, double dropout) {
        if (!layers.isEmpty() && dropout > 0) {
            throw new IllegalArgumentException("dropout drops units of hiddenLayers; with layers, dropout is a layer "
                    + "(e.g. dense128,relu,dropout0.5)");
        }
    }

    /** Whether {@code parser} takes {@code text}: a param's validator. */
    private static boolean parses(String text, Function<String, ?> parser) {
        try {
            parser.apply(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
