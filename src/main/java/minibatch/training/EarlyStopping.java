package minibatch.training;

/**
 * Watches the validation loss after every evaluation; signals a stop once it has not improved
 * for {@code patience} evaluations, and keeps a copy of the best weights.
 */
final class EarlyStopping {
    private final int patience;
    private EpochRecord best;
    private double[] bestParams;
    private int sinceBest;

    /** @param patience 0 never stops, but still tracks the best evaluation */
    EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Records an evaluation; true when training should stop. */
    boolean observe(EpochRecord record, double[] params) {
        if (Double.isNaN(record.validationLoss())) {
            return false;
        }
        if (best == null || record.validationLoss() < best.validationLoss()) {
            best = record;
            bestParams = params.clone();
            sinceBest = 0;
            return false;
        }
        sinceBest++;
        return patience > 0 && sinceBest >= patience;
    }

    /** The evaluation with the lowest validation loss so far, or null. */
    EpochRecord best() {
        return best;
    }

    double[] bestParams() {
        return bestParams;
    }

    int sinceBest() {
        return sinceBest;
    }

    /** Continues from a checkpoint's state. */
    void restore(EpochRecord best, double[] bestParams, int sinceBest) {
        this.best = best;
        this.bestParams = bestParams;
        this.sinceBest = sinceBest;
    }
}
