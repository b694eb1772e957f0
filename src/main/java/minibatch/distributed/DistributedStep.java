package minibatch.distributed;

import minibatch.nn.NetworkShape;

/**
 * One training step's distributed part: sample a mini-batch, let every partition sum the loss
 * and gradient of its sampled rows, and add the partials on the driver. One Spark job, one stage.
 */
public final class DistributedStep {
    private final MiniBatchSampler sampler;
    private final NetworkShape shape;

    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape) {
        this.sampler = sampler;
        this.shape = shape;
    }

    /**
     * Draws the next mini-batch and returns the summed loss, summed gradient and row count N over
     * it, evaluated at {@code params}. The caller divides by N.
     */
    public GradientSums run(double[] params, String jobDescription) {
        long seed = sampler.nextSeed();
        return PartitionSums.sum(sampler.sample(seed), new PartitionGradient(shape, params),
                GradientSums::merge, new GradientSums(shape.parameterCount()), jobDescription);
    }
}
