package minibatch.distributed;

import java.util.Arrays;
import java.util.SplittableRandom;
import minibatch.nn.NetworkShape;

/**
 * One training step's distributed part: sample a mini-batch, let every partition sum the loss
 * and gradient of its sampled rows, and add the partials on the driver (in partition order).
 * One Spark job, one stage per step; or, with {@code barrier}, one step of a barrier-stage job
 * that serves many steps ({@link BarrierSteps}), which must be {@link #pause paused} before other
 * Spark jobs run and {@link #close closed} at the end.
 */
public final class DistributedStep implements AutoCloseable {
    /** Every step's Spark job description starts with this (the Spark UI shows it; profiles look for it). */
    public static final String JOB_DESCRIPTION_PREFIX = "train step ";

    private final MiniBatchSampler sampler;
    private final NetworkShape shape;
    private final double dropout;
    private final SplittableRandom dropoutSeeds;
    private final BarrierSteps barrier;
    /** Barrier steps draw the sample seeds one step ahead (the tasks sample the next batch early). */
    private boolean seedDrawn;
    private long drawnSeed;

    /**
     * @param dropout      probability of dropping a hidden unit during training (0 = none)
     * @param dropoutSeeds driver-side generator of each step's dropout seed (drawn only when dropout > 0)
     * @param barrier      run the steps in resident barrier-stage tasks instead of a job per step
     */
    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape, double dropout, SplittableRandom dropoutSeeds,
                           boolean barrier) {
        this.sampler = sampler;
        this.shape = shape;
        this.dropout = dropout;
        this.dropoutSeeds = dropoutSeeds;
        this.barrier = barrier ? new BarrierSteps(sampler, shape, dropout) : null;
    }

    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape, double dropout, SplittableRandom dropoutSeeds) {
        this(sampler, shape, dropout, dropoutSeeds, false);
    }

    public DistributedStep(MiniBatchSampler sampler, NetworkShape shape) {
        this(sampler, shape, 0.0, null);
    }

    /**
     * Why barrier steps cannot run over {@code partitions} partitions on {@code sc}, or null when
     * they can (every partition's task at once, no dynamic allocation).
     */
    public static String barrierUnavailable(org.apache.spark.SparkContext sc, int partitions) {
        return BarrierSteps.unavailable(sc, partitions);
    }

    /** Lets other Spark jobs run: ends the running barrier segment, if any (the next step starts one). */
    public void pause() {
        if (barrier != null) {
            barrier.pause();
        }
    }

    /** True when the steps run in barrier-stage tasks. */
    public boolean barrier() {
        return barrier != null;
    }

    /** Ends the running barrier segment, if any, and releases the driver's RPC endpoint. */
    @Override
    public void close() {
        if (barrier != null) {
            barrier.close();
        }
    }

    /** Draws, and discards, the seeds of {@code steps} steps: how a resumed run gets back in sequence. */
    public void skip(long steps) {
        for (long i = 0; i < steps; i++) {
            takeSeed();
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
        long seed = takeSeed();
        long dropoutSeed = dropout > 0 ? dropoutSeeds.nextLong() : 0L;
        if (barrier != null) {
            return barrierStep(seed, dropoutSeed, params, profile, t0);
        }
        var batch = sampler.sample(seed);
        var function = new PartitionGradient(shape, params, dropout, dropoutSeed);
        if (profile != null) {
            profile.add(StepProfile.Phase.SAMPLE_AND_CLOSURE, System.nanoTime() - t0);
            profile.countStep();
        }
        return PartitionSums.sum(batch, function, GradientSums::merge, new GradientSums(shape.parameterCount()),
                jobDescription, profile);
    }

    /** The next step's sample seed, from the look-ahead if one was drawn: the sequence is the same either way. */
    private long takeSeed() {
        if (seedDrawn) {
            seedDrawn = false;
            return drawnSeed;
        }
        return sampler.nextSeed();
    }

    private long peekSeed() {
        if (!seedDrawn) {
            drawnSeed = sampler.nextSeed();
            seedDrawn = true;
        }
        return drawnSeed;
    }

    private GradientSums barrierStep(long seed, long dropoutSeed, double[] params, StepProfile profile, long t0) {
        long next = peekSeed();
        long t1 = System.nanoTime();
        GradientSums[] parts = barrier.run(seed, next, dropoutSeed, params);
        long t2 = System.nanoTime();
        GradientSums total = PartitionSums.inPartitionOrder(Arrays.asList(parts), GradientSums::merge,
                new GradientSums(shape.parameterCount()));
        if (profile != null) {
            profile.add(StepProfile.Phase.SAMPLE_AND_CLOSURE, t1 - t0);
            profile.add(StepProfile.Phase.BARRIER_EXCHANGE, t2 - t1);
            profile.add(StepProfile.Phase.MERGE, System.nanoTime() - t2);
            profile.addBarrierTaskNanos(barrier.takeTaskNanos());
            profile.countStep();
        }
        return total;
    }
}
