package minibatch.training;

import java.io.PrintStream;
import minibatch.UserError;
import minibatch.config.StepMode;
import minibatch.config.TrainingConfig;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.StepRunners;
import minibatch.distributed.jobs.EvaluationJob;
import minibatch.distributed.profile.StepProfile;
import minibatch.nn.Network;
import minibatch.training.checkpoint.Checkpointing;

/**
 * The one training entry point over cached DataFrames, behind both front doors
 * ({@link TrainingFromFiles} for {@code submit.sh train}, and {@code MiniBatchNetClassifier.fit}):
 * cached sets and one validated {@link TrainingConfig} in, a {@link TrainingResult} out. It decides
 * how the steps run ({@code auto}: resident barrier steps where the cluster can run them, else one
 * job per step, saying why) and runs a {@link TrainingLoop} over them.
 */
public final class Trainer {
    private static final long VALIDATION_SALT = 0x2545F4914F6CDD1DL;

    private Trainer() {
    }

    /**
     * The cached sets of one run.
     *
     * @param validation held-out rows, or null
     * @param test       test rows, or null (the estimator has none)
     */
    public record Data(CachedImages train, CachedImages validation, CachedImages test) {
        /** Drops every set's cached blocks. */
        public void release() {
            train.release();
            if (validation != null) {
                validation.release();
            }
            if (test != null) {
                test.release();
            }
        }
    }

    /**
     * {@code train} with {@code config.validationFraction()} of its rows split off as a validation
     * set (with a seed of its own derived from the run's seed, so the split does not shift the
     * training draws), or {@code train} alone when the fraction is 0; releases {@code train} when split.
     *
     * @throws UserError when either part is too small for the batch size (both parts released)
     */
    public static Data holdOut(CachedImages train, CachedImages test, TrainingConfig config) {
        if (config.validationFraction() <= 0) {
            return new Data(train, null, test);
        }
        CachedImages.Split split = train.split(config.validationFraction(),
                Long.rotateLeft(config.seed(), 17) ^ VALIDATION_SALT);
        if (split.held().count() == 0 || config.batchSize() > split.rest().count()) {
            split.rest().release();
            split.held().release();
            throw new UserError("--validation-fraction " + config.validationFraction() + " leaves " + split.rest().count()
                    + " training and " + split.held().count() + " validation rows: too few for --batch-size "
                    + config.batchSize());
        }
        return new Data(split.rest(), split.held(), test);
    }

    /**
     * Trains {@code shape} on {@code data}. Prints the sampler line (and, with {@code profile},
     * where the steps' time went) on {@code console}.
     */
    public static TrainingResult fit(Data data, Network shape, TrainingConfig config, PrintStream console,
                                     double progressSeconds, boolean profile, Checkpointing checkpointing) {
        StepMode used = StepRunners.resolve(config.sampler(), data.train());
        console.printf("sampler: %s%s%n", used.id(), used == StepMode.BARRIER
                ? " (Dataset.sample's rows drawn by barrier-stage tasks that stay up between evaluations)"
                : config.sampler() == StepMode.AUTO ? " (resident steps unavailable: "
                + StepRunners.barrierUnavailable(data.train()) + "; one Spark job per step over Dataset.sample)"
                : " (one Spark job per step over Dataset.sample)");
        TrainingConfig resolved = config.withSampler(used); // the loop runs what was printed
        long total = TrainingLoop.totalSteps(config, data.train().count());
        ProgressLog progress = new ProgressLog(console, progressSeconds, total);
        var sc = data.train().context();
        StepProfile stepProfile = profile ? StepProfile.attach(sc) : null;
        try {
            TrainingResult result = new TrainingLoop(data.train(), data.validation(), data.test(), shape, resolved,
                    progress, stepProfile, checkpointing).run();
            if (stepProfile != null) {
                result = result.withProfile(stepProfile.summary());
            }
            if (result.testConfusion() != null || data.test() == null) {
                return result;
            }
            // only when the kept weights were evaluated before a resume: for confusion.png and report.html
            return result.withTestConfusion(EvaluationJob.evaluate(data.test(), shape, result.params(),
                    "evaluate test confusion").counts());
        } finally {
            progress.finish();
            if (stepProfile != null) {
                stepProfile.detach(sc);
                stepProfile.print(console);
            }
        }
    }
}
