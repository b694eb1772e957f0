package minibatch.training;

import java.io.PrintStream;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.data.CachedImages;
import minibatch.data.ImageCache;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.SamplingPath;
import minibatch.distributed.DistributedEvaluation;
import minibatch.distributed.DistributedStep;
import minibatch.distributed.StepProfile;
import minibatch.nn.NetworkShape;
import org.apache.spark.sql.SparkSession;

/** A whole training run on a SparkSession: validate and load the data, train, release the cache. */
public final class TrainingJob {
    private static final long VALIDATION_SALT = 0x2545F4914F6CDD1DL;

    private TrainingJob() {
    }

    /**
     * Splits {@code config.validationFraction()} of the cached rows off as a validation set, with a
     * seed of its own derived from the run's seed (so the split does not shift the training draws);
     * releases {@code train}.
     *
     * @throws UserError when either part is too small for the batch size (both parts released)
     */
    public static CachedImages.Split holdOut(CachedImages train, TrainingConfig config) {
        CachedImages.Split split = train.split(config.validationFraction(),
                Long.rotateLeft(config.seed(), 17) ^ VALIDATION_SALT);
        if (split.held().count() == 0 || config.batchSize() > split.rest().count()) {
            split.rest().release();
            split.held().release();
            throw new UserError("--validation-fraction " + config.validationFraction() + " leaves " + split.rest().count()
                    + " training and " + split.held().count() + " validation rows: too few for --batch-size "
                    + config.batchSize());
        }
        return split;
    }

    public static TrainingResult train(SparkSession spark, TrainingConfig config, PrintStream console) {
        return train(spark, config, console, false, TrainingLoop.Checkpointing.NONE);
    }

    /**
     * As above; with {@code profile} prints where the steps' time went at the end, and checkpoints
     * (or resumes) as {@code checkpointing} says.
     */
    public static TrainingResult train(SparkSession spark, TrainingConfig config, PrintStream console, boolean profile,
                                       TrainingLoop.Checkpointing checkpointing) {
        ImageSource trainSet = ImageSources.open(spark, config.data(), "--data", config.format(), "train",
                config.classes(), 0, ImageSources.Use.TRAINING);
        ImageSource testSet = ImageSources.open(spark, config.data(), "--data", config.format(), "test",
                config.classes(), trainSet.pixelsPerImage(), ImageSources.Use.TRAINING);
        if (trainSet.pixelsPerImage() != testSet.pixelsPerImage()) {
            throw new UserError(String.format("%s: images are %dx%d but %s holds %dx%d images",
                    trainSet.location(), trainSet.rows(), trainSet.cols(),
                    testSet.location(), testSet.rows(), testSet.cols()));
        }
        int classes = config.classes() > 0 ? config.classes()
                : Math.max(2, Math.max(trainSet.maxLabel(), testSet.maxLabel()) + 1);
        if (config.batchSize() > (long) trainSet.count() * config.replicate()) {
            throw new UserError("--batch-size " + config.batchSize() + " is larger than the "
                    + trainSet.count() + " training rows");
        }
        int partitions = config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
        NetworkShape shape = NetworkShape.of(trainSet.pixelsPerImage(), config.hidden(), classes,
                config.activation());
        console.printf("data: %d train and %d test images of %dx%d from %s, %d partitions; network %s%n",
                trainSet.count(), testSet.count(), trainSet.rows(), trainSet.cols(), config.data(), partitions, shape);

        CachedImages train = ImageCache.load(spark, trainSet, partitions, config.sampler(), "train set",
                config.replicate(), config.seed());
        if (config.replicate() > 1) {
            console.printf("replicated: %d training rows (%d copies, shifted by up to 2 pixels)%n", train.count(),
                    config.replicate());
        }
        CachedImages validation = null;
        if (config.validationFraction() > 0) {
            CachedImages.Split split = holdOut(train, config);
            train = split.rest();
            validation = split.held();
            console.printf("validation: %d rows held out, %d left for training%n", validation.count(), train.count());
        }
        CachedImages test = ImageCache.load(spark, testSet, partitions, config.sampler(), "test set");
        try {
            long total = TrainingLoop.totalSteps(config, train.count());
            SamplingPath used = TrainingLoop.resolve(config.sampler(), train);
            console.printf("sampler: %s%s%n", used.id(), used == SamplingPath.BARRIER
                    ? " (steps in barrier-stage tasks that stay up between evaluations)"
                    : config.sampler() == SamplingPath.AUTO ? " (barrier steps unavailable: "
                    + DistributedStep.barrierUnavailable(spark.sparkContext(), train.partitions()) + ")"
                    : used == SamplingPath.RDD ? " (one Spark job per step)" : "");
            TrainingConfig resolved = config.withSampler(used); // the loop runs what was printed
            ProgressLog progress = new ProgressLog(console, config.progressSeconds(), total);
            StepProfile stepProfile = profile ? StepProfile.attach(spark.sparkContext()) : null;
            try {
                TrainingResult result = new TrainingLoop(train, validation, test, shape, resolved, progress, stepProfile,
                        checkpointing).run();
                if (result.testConfusion() != null) {
                    return result;
                }
                // only when the kept weights were evaluated before a resume: for confusion.png and report.html
                return result.withTestConfusion(DistributedEvaluation.evaluate(test, shape, result.params(),
                        "evaluate test confusion").counts());
            } finally {
                if (stepProfile != null) {
                    stepProfile.detach(spark.sparkContext());
                    stepProfile.print(console);
                }
            }
        } finally {
            train.release();
            test.release();
            if (validation != null) {
                validation.release();
            }
        }
    }
}
