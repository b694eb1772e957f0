package minibatch.training.update;

import minibatch.nn.ParallelChunks;

/**
 * Updates the weights from a mean gradient. Optimizers with state (velocity, squared-gradient
 * averages) keep it here, on the driver next to the weights.
 */
public interface Optimizer {
    /**
     * One step's update of the entries {@code [from, to)}: {@code params[i]} (and the optimizer's
     * state at {@code i}) from the mean gradient {@code meanGradient[i]}. Element-wise, so ranges
     * may run in any order and on any thread with the same result. (Every array is indexed alike:
     * HotSpot's C2 vectorizes such loops, not ones that read an array at an offset.)
     */
    @FunctionalInterface
    interface RangeUpdate {
        void apply(double[] params, double[] meanGradient, int from, int to);
    }

    /**
     * Starts a step at {@code learningRate} (advancing per-step state such as Adam's bias
     * correction) and returns its update, to be applied once to every range of the parameters.
     */
    RangeUpdate step(double learningRate);

    /**
     * One whole step, in chunks on the driver's cores ({@link ParallelChunks}).
     *
     * @param params       flat parameters, updated in place ({@code [parameterCount]})
     * @param meanGradient the gradient averaged over the batch ({@code [parameterCount]})
     * @param learningRate this step's learning rate (from the schedule)
     */
    default void update(double[] params, double[] meanGradient, double learningRate) {
        RangeUpdate update = step(learningRate);
        ParallelChunks.forEach(params.length, (from, to) -> update.apply(params, meanGradient, from, to));
    }

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
