package minibatch.training;

import java.util.Locale;
import java.util.SplittableRandom;
import minibatch.UserError;
import minibatch.config.TrainingConfig;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.StepRunner;
import minibatch.distributed.StepRunners;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Network;
import minibatch.training.checkpoint.Checkpoint;
import minibatch.training.checkpoint.Checkpointing;
import minibatch.training.update.LearningRateSchedule;
import minibatch.training.update.MeanGradient;
import minibatch.training.update.Optimizers;

/**
 * The steps of one run, which {@link Trainer} starts: every step asks the step runner for the
 * summed loss and gradient over the step's mini-batch ({@code Dataset.sample} on the cached
 * training DataFrame), divides once by N (the rows actually sampled), adds the L2 term and lets
 * the optimizer update the weights at the schedule's rate. Train, validation and test sets are
 * evaluated after every epoch (rowCount / batchSize steps) and after the last step; checkpoints
 * are written and resumed as {@link Checkpointing} says.
 */
public final class TrainingLoop {
    private final CachedImages train;
    private final CachedImages validation;
    private final CachedImages test;
    private final Network shape;
    private final TrainingConfig config;
    private final ProgressLog progress;
    private final StepProfile profile;
    private final Checkpointing checkpointing;
    private final EpochEvaluation evaluation;
    /** The settings a checkpoint must have been written with to continue this run. */
    private final String fingerprint;

    /**
     * @param validation held-out rows, or null
     * @param test       test rows, or null (the Spark ML estimator has none; its model's summary keeps
     *                   the training and validation metrics)
     * @param profile    collects the per-phase breakdown of the steps, or null
     */
    public TrainingLoop(CachedImages train, CachedImages validation, CachedImages test, Network shape,
                        TrainingConfig config, ProgressLog progress, StepProfile profile, Checkpointing checkpointing) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.shape = shape;
        this.config = config;
        this.progress = progress;
        this.profile = profile;
        this.checkpointing = checkpointing;
        this.evaluation = new EpochEvaluation(train, validation, test, shape);
        this.fingerprint = config.fingerprint() + ";effective_partitions=" + train.partitions();
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
        StepSeeds seeds = new StepSeeds(sampleSeeds, config.dropout() > 0 || shape.hasDropoutLayers() ? dropoutSeeds : null);
        MiniBatchSampler sampler = new MiniBatchSampler(train, config.batchSize(), config.withReplacement(), seeds);
        try (StepRunner runner = StepRunners.create(StepRunners.resolve(config.sampler(), train), sampler, shape, config.dropout(),
                progress::notice)) {
            LoopState state = start(params, runner);
            for (long step = state.firstStep; step <= state.totalSteps; step++) {
                step(state, step);
                if (state.evaluationDue(step) && evaluate(state, step)) {
                    break;
                }
                checkpoint(state, step);
            }
            return finish(state);
        }
    }

    /** A fresh run's state at {@code params}, or the checkpoint's when resuming. */
    private LoopState start(double[] params, StepRunner runner) {
        long perEpoch = stepsPerEpoch(train.count(), config.batchSize());
        long total = totalSteps(config, train.count());
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.schedule(), total);
        LoopState state = new LoopState(runner, Optimizers.create(config.optimizer(), shape.parameterCount()), schedule,
                perEpoch, total, params, config.patience());
        Checkpoint checkpoint = checkpointing.resumeFrom();
        if (checkpoint != null) {
            state.restore(checkpoint.stateFor(fingerprint));
            progress.resumed(state.firstStep - 1);
        }
        progress.start(perEpoch);
        return state;
    }

    /** One step: the runner's sums over the step's sample, then the update unless the sample was empty. */
    private void step(LoopState state, long step) {
        long t0 = System.nanoTime();
        GradientSums sums = state.runner.sums(step, state.params, profile);
        long n = sums.count();
        double meanLoss = Double.NaN;
        if (n == 0) {
            state.emptyBatches++;
            progress.emptyBatch(step);
        } else {
            meanLoss = update(state, sums, n, step);
        }
        long t1 = System.nanoTime();
        state.steps.add(new StepRecord(step, meanLoss, n, (t1 - t0) / 1e6, (t1 - state.start) / 1e6));
        progress.step(step, meanLoss);
    }

    /**
     * Divides the sums by {@code n} once and updates the weights.
     *
     * @return the step's mean loss
     * @throws UserError when the mean loss or gradient is not finite (training diverged)
     */
    private double update(LoopState state, GradientSums sums, long n, long step) {
        long tUpdate = System.nanoTime();
        double meanLoss = sums.lossSum() / n;
        boolean finite = Double.isFinite(meanLoss) && MeanGradient.update(sums, state.params, shape,
                config.weightDecay(), state.meanGradient, state.optimizer.step(state.schedule.rate(step)));
        if (!finite) {
            throw new UserError(String.format(Locale.ROOT, "training diverged at step %d: the %s is not finite "
                            + "(last finite mean loss %.6g at step %d); try a smaller --learning-rate",
                    step, Double.isFinite(meanLoss) ? "gradient" : "loss", state.lastFiniteLoss, state.lastFiniteStep));
        }
        state.lastFiniteLoss = meanLoss;
        state.lastFiniteStep = step;
        if (profile != null) {
            profile.addUpdate(System.nanoTime() - tUpdate);
        }
        return meanLoss;
    }

    /**
     * Evaluates every set after {@code step} and lets early stopping watch the result.
     *
     * @return true when early stopping ends the run here
     */
    private boolean evaluate(LoopState state, long step) {
        long e0 = System.nanoTime();
        state.runner.pause();
        EpochEvaluation.Result result = evaluation.at(state.params, step, (double) step / state.stepsPerEpoch);
        EpochRecord record = result.record();
        state.lastTestCounts = result.testCounts();
        double seconds = (System.nanoTime() - e0) / 1e9;
        state.evalNanos += seconds * 1e9;
        state.epochs.add(record);
        progress.evaluation(record, seconds);
        boolean stop = state.early.observe(record, state.params);
        if (state.early.best() == record) {
            state.bestTestCounts = state.lastTestCounts;
        }
        if (stop) {
            progress.earlyStop(state.early.best());
        }
        return stop;
    }

    /**
     * Writes a checkpoint after {@code step} when one is due or a stop was requested (never after
     * the last step), then ends the run if a stop was requested.
     *
     * @throws StopRequest.Stopped after the checkpoint of a requested stop
     */
    private void checkpoint(LoopState state, long step) {
        boolean stopNow = checkpointing.stop().requested() && step < state.totalSteps;
        boolean due = checkpointing.every() > 0 && step % checkpointing.every() == 0 && step < state.totalSteps;
        if (checkpointing.store() != null && (due || stopNow)) {
            checkpointing.store().write(new Checkpoint(fingerprint, state.snapshot(step)));
        }
        if (stopNow) {
            throw new StopRequest.Stopped(checkpointing.stop().reason(), step);
        }
    }

    /** The run's result; with early stopping, the weights (and test counts) of the best evaluation. */
    private TrainingResult finish(LoopState state) {
        double seconds = (System.nanoTime() - state.start) / 1e9;
        double[] finalParams = state.params;
        EpochRecord best = null;
        long[][] finalTestCounts = state.lastTestCounts;
        if (config.patience() > 0 && state.early.best() != null) {
            // keep the weights of the lowest validation loss, and report their metrics last
            finalParams = state.early.bestParams();
            best = state.early.best();
            finalTestCounts = state.bestTestCounts;
        }
        return new TrainingResult(shape, finalParams, state.steps, state.epochs, best, state.emptyBatches,
                state.stepsPerEpoch, train.count(), validation == null ? 0 : validation.count(),
                test == null ? 0 : test.count(), train.partitions(), state.runner.mode(), seconds,
                state.evalNanos / 1e9, finalTestCounts).withExecutorBlas(state.runner.executorBlas());
    }
}
