package minibatch.cli;

import minibatch.UserError;
import minibatch.data.IdxImageSet;
import minibatch.data.MnistFiles;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Option;

/** The options and checks shared by commands that apply a saved model to an MNIST-layout set. */
final class ModelOnData {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The model folder (RUN/model).")
    String model;

    @Option(names = "--set", paramLabel = "NAME", defaultValue = "test", description = "test (t10k files) or train. Default: ${DEFAULT-VALUE}")
    String set;

    /** A saved model and the validated image set it is applied to. */
    record Loaded(SavedModel model, IdxImageSet images) {
    }

    /**
     * Reads the model and the chosen set from {@code dataDir}, checking that the images fit the
     * network. {@code dataOption} names the folder option in error messages.
     */
    Loaded load(String dataDir, String dataOption, Configuration conf) {
        if (!set.equals("test") && !set.equals("train")) {
            throw new UserError("--set must be test or train (got " + set + ")");
        }
        SavedModel saved = ModelReader.read(new Path(model), conf);
        int classes = saved.shape().classes();
        IdxImageSet images = set.equals("test") ? MnistFiles.test(dataDir, conf, classes) : MnistFiles.train(dataDir, conf, classes);
        if (images.pixelsPerImage() != saved.shape().inputs()) {
            throw new UserError(dataOption + " " + dataDir + ": images have " + images.pixelsPerImage()
                    + " pixels, the model expects " + saved.shape().inputs());
        }
        return new Loaded(saved, images);
    }
}
