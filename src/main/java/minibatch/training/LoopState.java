package minibatch.training;

import java.util.ArrayList;
import java.util.List;
import minibatch.distributed.StepRunner;
import minibatch.training.checkpoint.TrainingState;
import minibatch.training.update.LearningRateSchedule;
import minibatch.training.update.Optimizer;

/**
 * What changes while {@link TrainingLoop} runs: the weights, the optimizer, the records so far and
 * the counters. The one place a {@link TrainingState} is built ({@link #snapshot}) and the one
 * place a run continues from one ({@link #restore}).
 */
final class LoopState {
    final StepRunner runner;
    final Optimizer optimizer;
    final LearningRateSchedule schedule;
    final long stepsPerEpoch;
    final long totalSteps;
    /** Weights ({@code [parameterCount]}), updated in place every step. */
    final double[] params;
    /** Scratch for the step's mean gradient ({@code [parameterCount]}). */
    final double[] meanGradient;
    final List<StepRecord> steps;
    final List<EpochRecord> epochs = new ArrayList<>();
    final EarlyStopping early;
    /** The test set's confusion counts at the latest and at the best evaluation of this process (null: none). */
    long[][] lastTestCounts;
    long[][] bestTestCounts;
    long emptyBatches;
    /** Nanoseconds spent in evaluations, a sum over them. */
    double evalNanos;
    /** The mean loss of the last step that had a finite one, for the divergence message. */
    double lastFiniteLoss = Double.NaN;
    long lastFiniteStep;
    /** {@code System.nanoTime()} when the run started, moved back by the time a resumed run had spent. */
    long start;
    /** The first step this process runs. */
    long firstStep = 1;

    LoopState(StepRunner runner, Optimizer optimizer, LearningRateSchedule schedule, long stepsPerEpoch,
              long totalSteps, double[] params, int patience) {
        this.runner = runner;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = totalSteps;
        this.params = params;
        this.meanGradient = new double[params.length];
        this.steps = new ArrayList<>((int) Math.min(totalSteps, 1 << 20));
        this.early = new EarlyStopping(patience);
        this.start = System.nanoTime();
    }

    /** Where the run stands after {@code step}: copies of everything the loop changes. */
    TrainingState snapshot(long step) {
        double elapsed = (System.nanoTime() - start) / 1e6;
        return new TrainingState(step, params.clone(), optimizer.state().stream().map(double[]::clone).toList(),
                optimizer.updates(), emptyBatches, lastFiniteLoss, lastFiniteStep, elapsed, evalNanos / 1e6,
                List.copyOf(steps), List.copyOf(epochs), early.best(), early.bestParams(), early.sinceBest());
    }

    /** Continues from {@code from}: the next step is the one after it. */
    void restore(TrainingState from) {
        System.arraycopy(from.params(), 0, params, 0, params.length);
        optimizer.restore(from.optimizerState(), from.optimizerUpdates());
        steps.addAll(from.steps());
        epochs.addAll(from.epochs());
        emptyBatches = from.emptyBatches();
        lastFiniteLoss = from.lastFiniteLoss();
        lastFiniteStep = from.lastFiniteStep();
        evalNanos = from.evaluationMillis() * 1e6;
        start -= (long) (from.elapsedMillis() * 1e6);
        if (from.bestEpoch() != null) {
            early.restore(from.bestEpoch(), from.bestParams(), from.sinceBest());
        }
        firstStep = from.step() + 1;
    }

    /** True after the last step of an epoch and after the run's last step. */
    boolean evaluationDue(long step) {
        return step % stepsPerEpoch == 0 || step == totalSteps;
    }
}
