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
}
