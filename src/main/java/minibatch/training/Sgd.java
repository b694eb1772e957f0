package minibatch.training;

/** Plain stochastic gradient descent: {@code w -= learningRate · meanGradient}. */
public final class Sgd {
    private final double learningRate;

    public Sgd(double learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * @param params       flat parameters, updated in place
     * @param meanGradient the gradient averaged over the batch ({@code [parameterCount]})
     */
    public void update(double[] params, double[] meanGradient) {
        for (int i = 0; i < params.length; i++) {
            params[i] -= learningRate * meanGradient[i];
        }
    }
}
