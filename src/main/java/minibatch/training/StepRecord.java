package minibatch.training;

/**
 * One training step.
 *
 * @param loss      mean cross-entropy over the step's mini-batch (NaN for an empty batch)
 * @param batchRows N, the rows actually sampled
 * @param stepMillis wall time of the step (sample, distributed sums, update)
 * @param elapsedMillis wall time since training started, including evaluations
 */
public record StepRecord(long step, double loss, long batchRows, double stepMillis, double elapsedMillis) {
}
