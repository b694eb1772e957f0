package minibatch.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.StepRunner;
import minibatch.distributed.jobs.EvaluationJob;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.NetworkShape;
import minibatch.training.checkpoint.Checkpoint;
import minibatch.training.checkpoint.CheckpointStore;
import minibatch.training.checkpoint.TrainingState;
import minibatch.training.update.LearningRateSchedule;
import minibatch.training.update.MeanGradient;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;

/**
 * The training loop: every step asks the step runner for the summed loss and gradient over the
 * step's mini-batch ({@code Dataset.sample} on the cached training DataFrame), divides once by N (the rows actually sampled), adds the L2 term and lets the
 * optimizer update the weights at the schedule's rate. Train, validation and test sets are
 * evaluated after every epoch (rowCount / batchSize steps) and after the last step.
 */
public final class TrainingLoop {
    private final CachedImages train;
    private final CachedImages validation;
    private final CachedImages test;
    private final NetworkShape shape;
    private final TrainingConfig config;
    private final ProgressLog progress;
    private final StepProfile profile;
    private final Checkpointing checkpointing;

    /**
     * Where and how often to checkpoint, and the checkpoint to continue from.
     *
     * @param store      null for no checkpoints
     * @param every      steps between checkpoints (0 = never)
     * @param resumeFrom null to start from step 1
     */
    public record Checkpointing(CheckpointStore store, long every, Checkpoint resumeFrom, StopRequest stop) {
    public     static final Checkpointing NONE = new Checkpointing(null, 0, null, StopRequest.manual());
    }

    /**
     * @param validation held-out rows, or null
     * @param test       test rows, or null (the Spark ML estimator has none; its model's summary keeps
     *                   the training and validation metrics)
     * @param profile    collects the per-phase breakdown of the steps, or null
     */
    public TrainingLoop(CachedImages train, CachedImages validation, CachedImages test, NetworkShape shape,
                        TrainingConfig config, ProgressLog progress, StepProfile profile, Checkpointing checkpointing) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.shape = shape;
        this.config = config;
        this.progress = progress;
        this.profile = profile;
        this.checkpointing = checkpointing;
    }

    /** Steps in one epoch: one pass's worth of rows, at least 1. */
    public static long stepsPerEpoch(long rowCount, int batchSize) {
        return Math.max(1, rowCount / batchSize);
    }

    /** Total steps of a run: {@code --steps}, or {@code --epochs} × steps per epoch. */
    public static long totalSteps(TrainingConfig config, long rowCount) {
        return config.steps() > 0 ? config.steps() : config.epochs() * stepsPerEpoch(rowCount, config.batchSize());
    }

    /** Runs the steps as {@code config.sampler()} says (auto resolved here if the caller has not). */
    public TrainingResult run() {
        // One root generator: the first split seeds the weights, the second every step's sample,
        // the third dropout masks (drawn only when dropout is on, so other runs are unaffected).
        SplittableRandom root = new SplittableRandom(config.seed());
        double[] params = config.initializer().initialize(shape, root.split());
        SplittableRandom sampleSeeds = root.split();
        SplittableRandom dropoutSeeds = root.split();
        StepSeeds seeds = new StepSeeds(sampleSeeds, config.dropout() > 0 ? dropoutSeeds : null);
        MiniBatchSampler sampler = new MiniBatchSampler(train, config.batchSize(), config.withReplacement(), seeds);
        try (StepRunner runner = StepRunner.create(StepRunner.resolve(config.sampler(), train), sampler, shape, config.dropout())) {
            return run(params, runner);
        }
    }

    private TrainingResult run(double[] params, StepRunner runner) {
        Optimizer optimizer = Optimizers.create(config.optimizer(), shape.parameterCount());

        long perEpoch = stepsPerEpoch(train.count(), config.batchSize());
        long total = totalSteps(config, train.count());
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.schedule(), total);
        List<StepRecord> steps = new ArrayList<>((int) Math.min(total, 1 << 20));
        List<EpochRecord> epochs = new ArrayList<>();
        double[] meanGradient = new double[shape.parameterCount()];
        EarlyStopping early = new EarlyStopping(config.patience());
        // the test set's confusion counts at the latest and at the best evaluation of this process (null: none)
        long[][] lastTestCounts = null;
        long[][] bestTestCounts = null;
        long empty = 0;
        double evalNanos = 0;
        double lastFiniteLoss = Double.NaN;
        long lastFiniteStep = 0;

        long start = System.nanoTime();
        long firstStep = 1;
        String fingerprint = config.fingerprint() + ";effective_partitions=" + train.partitions();
        Checkpoint checkpoint = checkpointing.resumeFrom();
        if (checkpoint != null) {
            TrainingState from = checkpoint.state();
            if (!checkpoint.configFingerprint().equals(fingerprint)) {
                throw new UserError("--resume: the checkpoint at step " + from.step() + " was written with other settings ("
                        + checkpoint.configFingerprint() + "); this run has (" + fingerprint + ")");
            }
            System.arraycopy(from.params(), 0, params, 0, params.length);
            optimizer.restore(from.optimizerState(), from.optimizerUpdates());
            steps.addAll(from.steps());
            epochs.addAll(from.epochs());
            empty = from.emptyBatches();
            lastFiniteLoss = from.lastFiniteLoss();
            lastFiniteStep = from.lastFiniteStep();
            evalNanos = from.evaluationMillis() * 1e6;
            start -= (long) (from.elapsedMillis() * 1e6);
            if (from.bestEpoch() != null) {
                early.restore(from.bestEpoch(), from.bestParams(), from.sinceBest());
            }
            firstStep = from.step() + 1;
            progress.resumed(from.step());
        }
        progress.start(perEpoch);
        for (long step = firstStep; step <= total; step++) {
            long t0 = System.nanoTime();
            GradientSums sums = runner.sums(step, params, profile);
            long n = sums.count();
            double meanLoss = Double.NaN;
            if (n == 0) {
                empty++;
                progress.emptyBatch(step);
            } else {
                long tUpdate = System.nanoTime();
                meanLoss = sums.lossSum() / n;
                boolean finite = Double.isFinite(meanLoss) && MeanGradient.update(sums, params, shape,
                        config.weightDecay(), meanGradient, optimizer.step(schedule.rate(step)));
                if (!finite) {
                    throw new UserError(String.format(Locale.ROOT, "training diverged at step %d: the %s is not finite "
                                    + "(last finite mean loss %.6g at step %d); try a smaller --learning-rate",
                            step, Double.isFinite(meanLoss) ? "gradient" : "loss", lastFiniteLoss, lastFiniteStep));
                }
                lastFiniteLoss = meanLoss;
                lastFiniteStep = step;
                if (profile != null) {
                    profile.addUpdate(System.nanoTime() - tUpdate);
                }
            }
            long t1 = System.nanoTime();
            steps.add(new StepRecord(step, meanLoss, n, (t1 - t0) / 1e6, (t1 - start) / 1e6));
            progress.step(step, meanLoss);
            if (step % perEpoch == 0 || step == total) {
                long e0 = System.nanoTime();
                runner.pause();
                Evaluation evaluation = evaluate(params, step, (double) step / perEpoch);
                EpochRecord record = evaluation.record();
                lastTestCounts = evaluation.testCounts();
                double seconds = (System.nanoTime() - e0) / 1e9;
                evalNanos += seconds * 1e9;
                epochs.add(record);
                progress.evaluation(record, seconds);
                boolean stop = early.observe(record, params);
                if (early.best() == record) {
                    bestTestCounts = lastTestCounts;
                }
                if (stop) {
                    progress.earlyStop(early.best());
                    break;
                }
            }
            boolean stopNow = checkpointing.stop().requested() && step < total;
            boolean due = checkpointing.every() > 0 && step % checkpointing.every() == 0 && step < total;
            if (checkpointing.store() != null && (due || stopNow)) {
                double elapsed = (System.nanoTime() - start) / 1e6;
                try {
                    checkpointing.store().write(new Checkpoint(fingerprint, new TrainingState(step, params.clone(),
                            optimizer.state().stream().map(double[]::clone).toList(), optimizer.updates(), empty,
                            lastFiniteLoss, lastFiniteStep, elapsed, evalNanos / 1e6, List.copyOf(steps),
                            List.copyOf(epochs), early.best(), early.bestParams(), early.sinceBest())));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("writing the checkpoint at step " + step + " failed", e);
                }
            }
            if (stopNow) {
                throw new StopRequest.Stopped(checkpointing.stop().reason(), step);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] finalParams = params;
        EpochRecord best = null;
        long[][] finalTestCounts = lastTestCounts;
        if (config.patience() > 0 && early.best() != null) {
            // keep the weights of the lowest validation loss, and report their metrics last
            finalParams = early.bestParams();
            best = early.best();
            finalTestCounts = bestTestCounts;
        }
        return new TrainingResult(shape, finalParams, steps, epochs, best, empty, perEpoch, train.count(),
                validation == null ? 0 : validation.count(), test == null ? 0 : test.count(), train.partitions(),
                runner.mode(), seconds,
                evalNanos / 1e9, finalTestCounts).withExecutorBlas(runner.executorBlas());
    }

    /** @param testCounts the test set's confusion counts ({@code [true class][predicted class]}), or null */
    private record Evaluation(EpochRecord record, long[][] testCounts) {
    }

    /** Evaluates every set at {@code params}. */
    private Evaluation evaluate(double[] params, long step, double epoch) {
        String label = String.format(Locale.ROOT, "epoch %.2f", epoch);
        Evaluated tr = evaluated(train, params, "evaluate train " + label);
        Evaluated va = validation == null ? Evaluated.NONE : evaluated(validation, params, "evaluate validation " + label);
        Evaluated te = test == null ? Evaluated.NONE : evaluated(test, params, "evaluate test " + label);
        return new Evaluation(new EpochRecord(epoch, step, tr.meanLoss(), tr.accuracy(), va.meanLoss(), va.accuracy(),
                te.meanLoss(), te.accuracy()), te.counts());
    }

    /** @param counts confusion counts ({@code [true class][predicted class]}), or null for a set not evaluated */
    private record Evaluated(double meanLoss, double accuracy, long[][] counts) {
    public     static final Evaluated NONE = new Evaluated(Double.NaN, Double.NaN, null);
    }

    private Evaluated evaluated(CachedImages rows, double[] params, String jobDescription) {
        ConfusionSums sums = EvaluationJob.evaluate(rows, shape, params, jobDescription);
        long[][] counts = sums.counts();
        ClassificationMetrics metrics = new ClassificationMetrics(counts);
        return new Evaluated(sums.lossSum() / metrics.total(), metrics.accuracy(), counts);
    }
}
