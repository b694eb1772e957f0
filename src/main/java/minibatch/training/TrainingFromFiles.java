package minibatch.training;

import java.io.PrintStream;
import java.util.List;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.LabelIndex;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.nn.Network;
import minibatch.nn.layers.ImageShape;
import minibatch.training.checkpoint.Checkpointing;
import org.apache.spark.sql.SparkSession;

/**
 * A whole {@code submit.sh train} run on a SparkSession: validates the input files, loads them into
 * cached DataFrames, trains through {@link Trainer} (which runs a {@link TrainingLoop}) and releases
 * the caches.
 */
public final class TrainingFromFiles {
    /** Wrong test predictions the report shows, the most confident first. */
    static final int GALLERY = 16;

    private TrainingFromFiles() {
    }

    public static TrainingResult train(SparkSession spark, TrainingConfig config, PrintStream console) {
        return train(spark, config, console, false, Checkpointing.NONE);
    }

    /**
     * As above; with {@code profile} prints where the steps' time went at the end, and checkpoints
     * (or resumes) as {@code checkpointing} says.
     */
    public static TrainingResult train(SparkSession spark, TrainingConfig config, PrintStream console, boolean profile,
                                       Checkpointing checkpointing) {
        Sets sets = Sets.open(spark, config);
        ImageSource trainSet = sets.train();
        int partitions = config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
        if (config.layers() != null && !trainSet.knowsHeight()) {
            throw new UserError(String.format("--layers: %s holds images of %d pixels, not a square, and does not say "
                    + "their height and width", trainSet.location(), trainSet.pixelsPerImage() / trainSet.channels()));
        }
        Network shape = config.network(new ImageShape(trainSet.rows(), trainSet.cols(), trainSet.channels()),
                sets.classes());
        console.printf("data: %d train and %d test images of %dx%d%s from %s, %d partitions; network %s%n",
                trainSet.count(), sets.test().count(), trainSet.rows(), trainSet.cols(),
                trainSet.channels() == 1 ? "" : "x" + trainSet.channels() + " (R, G, B)", config.data(), partitions, shape);
        Trainer.Data data = cached(spark, sets, partitions, config, console);
        try {
            TrainingResult result = Trainer.fit(data, shape, config, console, config.progressSeconds(), profile,
                    checkpointing);
            // for the report's gallery
            return result.withConfidentErrors(ConfidentErrors.top(data.test(), shape,
                    result.params(), GALLERY)).withInput(sets.classNames(), config.channels());
        } finally {
            data.release();
        }
    }

    /**
     * The validated input files of a run.
     *
     * @param classNames the name of each class ({@code [classes]}), or none
     */
    private record Sets(ImageSource train, ImageSource test, int classes, List<String> classNames) {
        /** Opens and checks both sets of {@code config.data()}: same image size, labels, enough rows. */
        static Sets open(SparkSession spark, TrainingConfig config) {
            ImageSource trainSet = ImageSources.open(spark, config.data(), "--data", config.format(), "train",
                    config.classes(), 0, ImageSources.Use.TRAINING, config.channels());
            ImageSource testSet = ImageSources.open(spark, config.data(), "--data", config.format(), "test",
                    config.classes(), trainSet.pixelsPerImage(), ImageSources.Use.TRAINING, config.channels());
            if (trainSet.pixelsPerImage() != testSet.pixelsPerImage()) {
                throw new UserError(String.format("%s: images are %dx%d but %s holds %dx%d images",
                        trainSet.location(), trainSet.rows(), trainSet.cols(),
                        testSet.location(), testSet.rows(), testSet.cols()));
            }
            int classes = config.classes() > 0 ? config.classes() : LabelIndex.inferClasses(trainSet, testSet);
            List<String> classNames = checkedClassNames(trainSet, classes);
            if (config.batchSize() > (long) trainSet.count() * config.replicate()) {
                throw new UserError("--batch-size " + config.batchSize() + " is larger than the "
                        + trainSet.count() + " training rows");
            }
            return new Sets(trainSet, testSet, classes, classNames);
        }
    }

    /**
     * Both sets cached (the training set replicated as asked) with the validation part held out;
     * on a failure whatever was cached is released.
     */
    private static Trainer.Data cached(SparkSession spark, Sets sets, int partitions, TrainingConfig config,
                                       PrintStream console) {
        CachedImages train = CachedImages.load(spark, sets.train(), partitions, "train set", config.replicate(),
                config.seed());
        if (config.replicate() > 1) {
            console.printf("replicated: %d training rows (%d copies, shifted by up to 2 pixels)%n", train.count(),
                    config.replicate());
        }
        Trainer.Data data;
        try {
            data = Trainer.holdOut(train, null, config);
        } catch (RuntimeException e) {
            train.release();
            throw e;
        }
        if (data.validation() != null) {
            console.printf("validation: %d rows held out, %d left for training%n", data.validation().count(),
                    data.train().count());
        }
        try {
            return new Trainer.Data(data.train(), data.validation(),
                    CachedImages.load(spark, sets.test(), partitions, "test set"));
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
    }

    /** The training set's class names ({@code [classes]}), or none; names that do not fit the classes are refused. */
    private static List<String> checkedClassNames(ImageSource trainSet, int classes) {
        List<String> names = trainSet.classNames();
        if (!names.isEmpty() && names.size() != classes) {
            throw new UserError(trainSet.location() + ": names " + names.size() + " classes, but the labels give " + classes);
        }
        return names;
    }
}
