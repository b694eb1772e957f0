package minibatch.training.checkpoint;

import java.util.List;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;

/**
 * Where a run stands after {@code step} steps: everything needed to continue it exactly there.
 * The training loop hands one to the checkpoint store and takes one back on {@code --resume}; its
 * per-run state ({@code training.LoopState}) is the one place that builds one and the one place
 * that continues from one. The random generators are not stored: each draws a fixed number of
 * values per step, so resuming replays {@code step} draws.
 *
 * @param params           weights after {@code step} ({@code [parameterCount]})
 * @param optimizerState   the optimizer's state arrays ({@code [parameterCount]} each; none for SGD)
 * @param optimizerUpdates updates the optimizer has made (Adam's bias correction depends on it)
 * @param emptyBatches     steps whose sample held no row (update skipped)
 * @param elapsedMillis    wall time of the loop so far, evaluations included
 * @param evaluationMillis the part of it spent in evaluations
 * @param steps            one record per step so far (mean loss, N, time)
 * @param epochs           every evaluation so far
 * @param bestEpoch        early stopping's best evaluation so far, or null (then bestParams is null)
 * @param sinceBest        evaluations since the best one
 */
public record TrainingState(long step, double[] params, List<double[]> optimizerState, long optimizerUpdates,
                            long emptyBatches, double lastFiniteLoss, long lastFiniteStep, double elapsedMillis,
                            double evaluationMillis, List<StepRecord> steps, List<EpochRecord> epochs,
                            EpochRecord bestEpoch, double[] bestParams, int sinceBest) {
}
