package minibatch.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import minibatch.UserError;
import minibatch.nn.Activation;
import minibatch.nn.Network;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a model written by {@link ModelWriter}, treating the files as untrusted data: the format
 * and version must match, the declared sizes must agree with the weights file's length (checked
 * before allocating) and the weights must match their recorded SHA-256.
 */
public final class ModelReader {
    private ModelReader() {
    }

    /** A Spark ML model folder's network and the factor its features are multiplied by before the first layer. */
    public record ModelFolder(SavedModel model, double featureScale) {
    }

    /**
     * The network in a Spark ML model folder as {@code train} writes it in {@code RUN/model}, for the
     * command line, which feeds pixel values / 255: a model that expects another feature scale is refused.
     */
    public static SavedModel readModelFolder(Path dir, Configuration conf) {
        double featureScale = featureScale(dir, conf);
        if (Math.abs(featureScale - Pixels.SCALE) > 1e-12) {
            throw new UserError(dir + ": the model expects features scaled by " + featureScale + "; the command line "
                    + "feeds pixel values / 255 (use it from Spark ML with its own features instead)");
        }
        return read(new Path(dir, "data"), conf);
    }

    /**
     * Any Spark ML model folder of {@link #MODEL_CLASS}: {@code metadata/} (Spark's JSON; must name
     * the class) and {@code data/}.
     */
    public static ModelFolder readFolder(Path dir, Configuration conf) {
        double featureScale = featureScale(dir, conf);
        return new ModelFolder(read(new Path(dir, "data"), conf), featureScale);
    }

    /** The {@code featureScale} param in the folder's Spark metadata, checking it is a model of {@link #MODEL_CLASS}. */
    private static double featureScale(Path dir, Configuration conf) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            Path metadata = new Path(dir, "metadata");
            if (!fs.exists(metadata)) {
                throw new UserError(dir + ": not a model folder (no metadata/; expected a run's model/ folder)");
            }
            JsonNode meta = null;
            for (var status : fs.listStatus(metadata)) {
                if (status.getPath().getName().startsWith("part-") && status.getLen() > 0 && status.getLen() < (1 << 20)) {
                    try (InputStream in = fs.open(status.getPath())) {
                        meta = new ObjectMapper().readTree(in);
                    }
                    break;
                }
            }
            String cls = meta == null ? "" : meta.path("class").asText();
            if (!MODEL_CLASS.equals(cls)) {
                throw new UserError(metadata + ": holds a model of class '" + cls + "', not " + MODEL_CLASS);
            }
            JsonNode scale = meta.at("/paramMap/featureScale");
            return scale.isNumber() ? scale.asDouble() : meta.at("/defaultParamMap/featureScale").asDouble(1.0);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot read model: " + UserError.firstLine(e), e);
        }
    }

    /** The Spark ML model class whose {@code data/} folder this reader reads. */
    public static final String MODEL_CLASS = "minibatch.ml.MiniBatchNetClassificationModel";

    public static SavedModel read(Path dir, Configuration conf) {
        Path metaPath = new Path(dir, ModelFormat.METADATA_FILE);
        Path weightsPath = new Path(dir, ModelFormat.WEIGHTS_FILE);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            JsonNode meta;
            try (InputStream in = fs.open(metaPath)) {
                meta = new ObjectMapper().readTree(in);
            }
            if (meta == null || !ModelFormat.NAME.equals(meta.path("format").asText())) {
                throw new UserError(metaPath + ": not a spark-minibatch model (format is not " + ModelFormat.NAME + ")");
            }
            int version = meta.path("format_version").asInt(-1);
            if (!ModelFormat.READABLE.contains(version)) {
                throw new UserError(metaPath + ": model format version " + version + " is not supported (this build reads "
                        + "1 and " + ModelFormat.VERSION + ")");
            }
            Network shape = version >= 2 && meta.has("layers") ? stack(meta, metaPath) : shape(meta, metaPath);
            long bytes = fs.getFileStatus(weightsPath).getLen();
            if (bytes != (long) shape.parameterCount() * Double.BYTES) {
                throw new UserError(weightsPath + ": holds " + bytes + " bytes, the network " + shape + " needs "
                        + (long) shape.parameterCount() * Double.BYTES);
            }
            byte[] raw;
            try (InputStream in = fs.open(weightsPath)) {
                raw = in.readNBytes((int) bytes);
            }
            if (!ParameterDigest.sha256(raw).equals(meta.path("weights_sha256").asText())) {
                throw new UserError(weightsPath + ": SHA-256 does not match " + metaPath + " (corrupt or altered weights)");
            }
            double[] params = new double[shape.parameterCount()];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(params);
            int channels = meta.path("input_channels").asInt(1);
            if ((channels != 1 && channels != 3) || shape.inputs() % channels != 0) {
                throw new UserError(metaPath + ": input_channels must be 1 or 3 and divide the " + shape.inputs() + " inputs");
            }
            if (shape instanceof LayerNetwork stack && stack.input().channels() != channels) {
                throw new UserError(metaPath + ": input_channels " + channels + " disagrees with input_shape " + stack.input());
            }
            return new SavedModel(shape, params, classNames(meta, metaPath, shape.classes()), channels);
        } catch (FileNotFoundException e) {
            throw new UserError(dir + ": not a model folder (" + UserError.firstLine(e) + ")");
        } catch (IOException e) {
            throw new UserError(dir + ": cannot read model: " + UserError.firstLine(e), e);
        }
    }

    /** The optional {@code class_names}: one string per class. */
    private static java.util.List<String> classNames(JsonNode meta, Path metaPath, int classes) {
        JsonNode names = meta.path("class_names");
        if (names.isMissingNode() || names.isNull()) {
            return java.util.List.of();
        }
        if (!names.isArray() || names.size() != classes) {
            throw new UserError(metaPath + ": class_names must be an array of " + classes + " names");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : names) {
            if (!n.isTextual()) {
                throw new UserError(metaPath + ": class_names must be an array of " + classes + " names");
            }
            out.add(n.asText());
        }
        return out;
    }

    /** A layer stack's network: {@code layers} (the spec), {@code input_shape} [H, W, C] and {@code classes}. */
    private static LayerNetwork stack(JsonNode meta, Path metaPath) {
        JsonNode input = meta.path("input_shape");
        JsonNode classes = meta.path("classes");
        if (!input.isArray() || input.size() != 3 || !classes.canConvertToInt() || classes.asInt() < 2) {
            throw new UserError(metaPath + ": a layer model needs input_shape [H, W, C] and classes >= 2");
        }
        for (JsonNode n : input) {
            if (!n.canConvertToInt() || n.asInt() <= 0) {
                throw new UserError(metaPath + ": input_shape must be 3 positive integers [H, W, C]");
            }
        }
        try {
            LayerNetwork network = LayerNetwork.of(new ImageShape(input.get(0).asInt(), input.get(1).asInt(),
                    input.get(2).asInt()), LayerSpec.parse(meta.path("layers").asText()), classes.asInt());
            if (network.parameterCount() > ModelFormat.MAX_PARAMETERS) {
                throw new UserError(metaPath + ": declares " + network.parameterCount() + " parameters, more than the limit "
                        + ModelFormat.MAX_PARAMETERS);
            }
            return network;
        } catch (IllegalArgumentException e) {
            throw new UserError(metaPath + ": layers: " + UserError.firstLine(e));
        }
    }

    private static NetworkShape shape(JsonNode meta, Path metaPath) {
        JsonNode sizesNode = meta.path("layer_sizes");
        if (!sizesNode.isArray() || sizesNode.size() < 2 || sizesNode.size() > 64) {
            throw new UserError(metaPath + ": layer_sizes must be an array of 2 to 64 positive integers");
        }
        int[] sizes = new int[sizesNode.size()];
        long params = 0;
        for (int i = 0; i < sizes.length; i++) {
            JsonNode n = sizesNode.get(i);
            if (!n.canConvertToInt() || n.asInt() <= 0) {
                throw new UserError(metaPath + ": layer_sizes must be an array of 2 to 64 positive integers");
            }
            sizes[i] = n.asInt();
            if (i > 0) {
                params += (long) sizes[i - 1] * sizes[i] + sizes[i];
            }
        }
        if (params > ModelFormat.MAX_PARAMETERS) {
            throw new UserError(metaPath + ": declares " + params + " parameters, more than the limit " + ModelFormat.MAX_PARAMETERS);
        }
        try {
            return new NetworkShape(sizes, Activation.parse(meta.path("hidden_activation").asText()));
        } catch (IllegalArgumentException e) {
            throw new UserError(metaPath + ": " + UserError.firstLine(e));
        }
    }
}
