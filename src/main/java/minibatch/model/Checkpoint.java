package minibatch.model;

import java.util.List;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;

/**
 * Everything needed to continue a run exactly where it was: the weights after {@code step}, the
 * optimizer's state, the metrics so far and the early-stopping state. The random generators are
 * not stored: each draws a fixed number of values per step, so resuming replays {@code step} draws.
 *
 * @param configFingerprint the training settings the run was started with; resume requires equal ones
 * @param bestEpoch         early stopping's best evaluation so far, or null (then bestParams is null)
 */
public record Checkpoint(long step, String configFingerprint, double[] params, List<double[]> optimizerState,
                         long optimizerUpdates, long emptyBatches, double lastFiniteLoss, long lastFiniteStep,
                         double elapsedMillis, double evaluationMillis, List<StepRecord> steps,
                         List<EpochRecord> epochs, EpochRecord bestEpoch, double[] bestParams, int sinceBest) {
}
