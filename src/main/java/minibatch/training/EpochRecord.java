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
    /** How many values {@link #values()} holds. */
    public static final int VALUES = 8;

    /** The record's values in declaration order (the step as a double), for files. */
    public double[] values() {
        return new double[] {epoch, step, trainLoss, trainAccuracy, validationLoss, validationAccuracy, testLoss,
            testAccuracy};
    }

    /** The record whose {@link #values()} are {@code v} ({@code [VALUES]}). */
    public static EpochRecord of(double[] v) {
        if (v.length != VALUES) {
            throw new IllegalArgumentException("an evaluation has " + v.length + " values, expected " + VALUES);
        }
        return new EpochRecord(v[0], (long) v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }
}
