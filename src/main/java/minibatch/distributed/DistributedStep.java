package minibatch.distributed;

import java.util.SplittableRandom;
import minibatch.nn.NetworkShape;

/**
 * One training step's distributed part: sample a mini-batch, let every partition sum the loss
 * and gradient of its sampled rows, and add the partials on the driver. One Spark job, one stage.
 */
public final class DistributedStep {
    /** Every step's Spark job description starts with this (the Spark UI shows it; profiles look for it). */
    public static final String JOB_DESCRIPTION_PREFIX = "train step ";

    private final MiniBatchSampler sampler;
    private final NetworkShape shape;
    private final double dropout;
    private final SplittableRandom dropoutSeeds;

    /**
     * @param dropout      probability of dropping a hidden unit during training (0 = none)
     * @param dropoutSeeds driver-side generator of each step's dropout seed (drawn only when dropout > 0)
     */
    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape, double dropout, SplittableRandom dropoutSeeds) {
        this.sampler = sampler;
        this.shape = shape;
        this.dropout = dropout;
        this.dropoutSeeds = dropoutSeeds;
    }

    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape) {
        this(sampler, shape, 0.0, null);
    }

    /** Draws, and discards, the seeds of {@code steps} steps: how a resumed run gets back in sequence. */
    public void skip(long steps) {
        for (long i = 0; i < steps; i++) {
            sampler.nextSeed();
            if (dropout > 0) {
                dropoutSeeds.nextLong();
            }
        }
    }

    /**
     * Draws the next mini-batch and returns the summed loss, summed gradient and row count N over
     * it, evaluated at {@code params} ({@code [parameterCount]}, travels in the task binary). The
     * caller divides by N.
     */
    public GradientSums run(double[] params, String jobDescription) {
        return run(params, jobDescription, null);
    }

    /** As {@link #run(double[], String)}, adding the driver phases' times to {@code profile} if not null. */
    public GradientSums run(double[] params, String jobDescription, StepProfile profile) {
        long t0 = System.nanoTime();
        long seed = sampler.nextSeed();
        long dropoutSeed = dropout > 0 ? dropoutSeeds.nextLong() : 0L;
        var batch = sampler.sample(seed);
        var function = new PartitionGradient(shape, params, dropout, dropoutSeed);
        if (profile != null) {
            profile.add(StepProfile.Phase.SAMPLE_AND_CLOSURE, System.nanoTime() - t0);
            profile.countStep();
        }
        return PartitionSums.sum(batch, function, GradientSums::merge, new GradientSums(shape.parameterCount()),
                jobDescription, profile);
    }
}
