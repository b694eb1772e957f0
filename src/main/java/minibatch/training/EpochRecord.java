package minibatch.training;

/**
 * An evaluation over the whole training and test sets; losses are means, accuracies fractions.
 *
 * @param epoch steps done / steps per epoch (a whole number at epoch ends, fractional at a final
 *              evaluation between epoch ends)
 */
public record EpochRecord(double epoch, long step, double trainLoss, double trainAccuracy,
                          double testLoss, double testAccuracy) {
}
