package minibatch.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import minibatch.nn.NetworkShape;
import minibatch.nn.layers.LayerNetwork;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a model as data, never as Java serialization: {@code model.json} (format name and
 * version, layer sizes, activation, parameter count and SHA-256, and the class names where the data
 * named the classes) and {@code weights.bin} (the flat parameters as little-endian doubles).
 */
public final class ModelWriter {
    private ModelWriter() {
    }

    public static void write(SavedModel model, Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        fs.mkdirs(dir);
        byte[] weights = ParameterDigest.littleEndianBytes(model.params());
        try (OutputStream out = fs.create(new Path(dir, ModelFormat.WEIGHTS_FILE), false)) {
            out.write(weights);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = json.createObjectNode();
        meta.put("format", ModelFormat.NAME);
        // a dense model is as format 1 always wrote it, so that earlier builds still read it
        meta.put("format_version", model.shape() instanceof LayerNetwork ? ModelFormat.VERSION : 1);
        if (model.shape() instanceof LayerNetwork stack) {
            meta.put("layers", stack.spec());
            var input = meta.putArray("input_shape");
            input.add(stack.input().height()).add(stack.input().width()).add(stack.input().channels());
            meta.put("classes", stack.classes());
            meta.put("parameter_layout", ModelFormat.LAYER_LAYOUT);
        } else {
            NetworkShape dense = (NetworkShape) model.shape();
            var sizes = meta.putArray("layer_sizes");
            for (int s : dense.sizes()) {
                sizes.add(s);
            }
            meta.put("hidden_activation", dense.hidden().id());
            meta.put("parameter_layout", ModelFormat.LAYOUT);
        }
        meta.put("output", "softmax");
        meta.put("parameter_count", model.params().length);
        meta.put("weights_file", ModelFormat.WEIGHTS_FILE);
        meta.put("weights_sha256", ParameterDigest.sha256(weights));
        if (model.inputChannels() != 1) {
            meta.put("input_channels", model.inputChannels());
        }
        if (!model.classNames().isEmpty()) {
            var names = meta.putArray("class_names");
            model.classNames().forEach(names::add);
        }
        try (OutputStream out = fs.create(new Path(dir, ModelFormat.METADATA_FILE), false)) {
            json.writerWithDefaultPrettyPrinter().writeValue(out, meta);
        }
    }
}
