package minibatch.cli;

import minibatch.UserError;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options and checks shared by commands that apply a saved model to an image set. */
final class ModelOnData {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A run folder, or its model/ folder.")
    String model;

    @Option(names = "--set", paramLabel = "NAME", defaultValue = "test", description = "In a data folder: test or train. Default: ${DEFAULT-VALUE}")
    String set;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", description = "auto, idx, csv, parquet, libsvm, folders or hub; "
            + "auto tells by the folder's files or the name. Default: ${DEFAULT-VALUE}")
    String format;

    /** The model folder {@code --model} names: the folder itself, or a run folder's {@code model/}. */
    Path modelFolder(org.apache.hadoop.conf.Configuration conf) {
        return modelFolder(model, conf);
    }

    /** The model folder {@code --model model} names: the folder itself, or a run folder's {@code model/}. */
    static Path modelFolder(String model, org.apache.hadoop.conf.Configuration conf) {
        Path given = new Path(model);
        try {
            var fs = given.getFileSystem(conf);
            Path inRun = new Path(given, "model");
            return !fs.exists(new Path(given, "metadata")) && fs.exists(new Path(inRun, "metadata")) ? inRun : given;
        } catch (java.io.IOException e) {
            throw new UserError("--model " + model + ": " + UserError.firstLine(e), e);
        }
    }

    /** A saved model and the validated image set it is applied to. */
    record Loaded(SavedModel model, ImageSource images) {
    }

    /**
     * Reads the model and the chosen set at {@code location}, checking that the images fit the
     * network. {@code option} names the data option in error messages.
     */
    Loaded load(SparkSession spark, String location, String option, ImageSources.Use use) {
        if (!set.equals("test") && !set.equals("train")) {
            throw new UserError("--set must be test or train (got " + set + ")");
        }
        DataFormat dataFormat = OptionValues.parse("--format", format, DataFormat::parse);
        SavedModel saved = ModelReader.readModelFolder(modelFolder(spark.sparkContext().hadoopConfiguration()),
                spark.sparkContext().hadoopConfiguration());
        int classes = saved.shape().classes();
        ImageSource images = ImageSources.open(spark, location, option, dataFormat, set, classes, saved.shape().inputs(), use,
                saved.inputChannels());
        if (images.pixelsPerImage() != saved.shape().inputs()) {
            throw new UserError(option + " " + location + ": images have " + images.pixelsPerImage()
                    + " pixels, the model expects " + saved.shape().inputs());
        }
        if (!images.classNames().isEmpty() && !saved.classNames().isEmpty() && !images.classNames().equals(saved.classNames())) {
            throw new UserError(option + " " + location + ": its classes are " + images.classNames()
                    + ", the model's are " + saved.classNames());
        }
        return new Loaded(saved, images);
    }
}
