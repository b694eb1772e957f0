package minibatch.training;

/**
 * Updates the weights from a mean gradient. Optimizers with state (velocity, squared-gradient
 * averages) keep it here, on the driver next to the weights.
 */
public interface Optimizer {
    /**
     * @param params       flat parameters, updated in place ({@code [parameterCount]})
     * @param meanGradient the gradient averaged over the batch ({@code [parameterCount]})
     * @param learningRate this step's learning rate (from the schedule)
     */
    void update(double[] params, double[] meanGradient, double learningRate);

    /** The state arrays ({@code [parameterCount]} each), live, for checkpoints; none for SGD. */
    default java.util.List<double[]> state() {
        return java.util.List.of();
    }

    /** Updates done so far, where the optimizer depends on it (Adam's bias correction). */
    default long updates() {
        return 0;
    }

    /** Restores {@link #state()} (copied into the live arrays) and {@link #updates()} from a checkpoint. */
    default void restore(java.util.List<double[]> saved, long updates) {
        java.util.List<double[]> live = state();
        if (saved.size() != live.size()) {
            throw new IllegalArgumentException("optimizer state has " + saved.size() + " arrays, expected " + live.size());
        }
        for (int i = 0; i < live.size(); i++) {
            System.arraycopy(saved.get(i), 0, live.get(i), 0, live.get(i).length);
        }
    }
}
