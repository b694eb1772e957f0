package minibatch.distributed.jobs;

import minibatch.config.StepMode;
import minibatch.distributed.StepRunner;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.GradientSums;
import minibatch.distributed.sums.PartitionGradient;
import minibatch.nn.Network;

/**
 * The literal form of a step, and the reference for the barrier steps ({@code barrier/BarrierSteps}): one Spark job per step
 * over {@code Dataset.sample(withReplacement, fraction, seed_t)} on the cached DataFrame. Every
 * partition sums the loss and gradient of its sampled rows ({@link PartitionGradient}, the
 * weights in the task binary); the driver adds the partials in partition order.
 */
public final class DataFrameSteps implements StepRunner {
    /**
     * The SQL setting the sampled plans need, for every session that trains: with whole-stage
     * codegen on, {@code Dataset.sample} writes each step's seed into generated code, so every
     * step would compile a new class.
     */
    public static final java.util.Map<String, String> SQL_SETTINGS = java.util.Map.of("spark.sql.codegen.wholeStage", "false");

    private final MiniBatchSampler sampler;
    private final Network shape;
    private final double dropout;

    public DataFrameSteps(MiniBatchSampler sampler, Network shape, double dropout) {
        this.sampler = sampler;
        this.shape = shape;
        this.dropout = dropout;
    }

    @Override
    public GradientSums sums(long step, double[] params, StepProfile profile) {
        long t0 = System.nanoTime();
        StepSeeds seeds = sampler.seeds();
        var batch = sampler.sample(step).rdd();
        var function = new DecodedRows<>(sampler.rows().layout(),
                new PartitionGradient(shape, params, dropout, seeds.dropout(step)));
        seeds.forget(step + 1);
        if (profile != null) {
            profile.add(StepProfile.Phase.SAMPLE_AND_CLOSURE, System.nanoTime() - t0);
            profile.countStep();
        }
        return SumJob.sum(batch, function, GradientSums::merge, new GradientSums(shape.parameterCount()),
                StepProfile.STEP_JOB_PREFIX + step, profile);
    }

    @Override
    public void pause() {
    }

    @Override
    public StepMode mode() {
        return StepMode.DATAFRAME;
    }

    @Override
    public void close() {
    }
}
