package minibatch.training;

/**
 * An evaluation over the whole training, validation and test sets; losses are means, accuracies
 * fractions. Validation values are NaN when no validation set is held out.
 *
 * @param epoch steps done / steps per epoch (a whole number at epoch ends, fractional at a final
 *              evaluation between epoch ends)
 */
public record EpochRecord(double epoch, long step, double trainLoss, double trainAccuracy,
                          double validationLoss, double validationAccuracy,
                          double testLoss, double testAccuracy) {
}
