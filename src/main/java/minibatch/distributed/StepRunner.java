package minibatch.distributed;

import minibatch.config.StepMode;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.barrier.BarrierSteps;
import minibatch.distributed.jobs.DataFrameSteps;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.NetworkShape;

/**
 * How the training loop gets a step's sums: "the summed loss, summed gradient and row count N
 * over step t's mini-batch, at these weights". Two implementations run steps differently with the
 * same numbers: {@link DataFrameSteps} (one Spark job per step over {@code Dataset.sample}) and
 * {@link BarrierSteps} (barrier tasks that stay up between evaluations). The caller divides by N.
 */
public interface StepRunner extends AutoCloseable {
    /** Every step's Spark job description starts with this (the Spark UI shows it; profiles look for it). */
    String JOB_DESCRIPTION_PREFIX = "train step ";

    /** The SQL settings every session that trains applies ({@link DataFrameSteps#SQL_SETTINGS}). */
    static java.util.Map<String, String> sqlSettings() {
        return DataFrameSteps.SQL_SETTINGS;
    }

    /**
     * Sums over step {@code step}'s mini-batch (steps are asked for in increasing order),
     * evaluated at {@code params} ({@code [parameterCount]}, not changed here).
     *
     * @param profile collects the driver phases' times, or null
     */
    GradientSums sums(long step, double[] params, StepProfile profile);

    /** Lets other Spark jobs (an evaluation) run; the next step carries on. */
    void pause();

    /**
     * For a network with a {@code dgemm} layer, the BLAS each executor's tasks loaded
     * ({@code executor 1: JNIBLAS}); empty where the steps do not report it (one job per step).
     */
    default java.util.List<String> executorBlas() {
        return java.util.List.of();
    }

    /** The mode these steps run in. */
    StepMode mode();

    /** Ends any running job and releases what the steps hold. */
    @Override
    void close();

    /** {@code mode}, with auto resolved to barrier where the cluster can run resident steps over {@code train}, else dataframe. */
    static StepMode resolve(StepMode mode, CachedImages train) {
        if (mode != StepMode.AUTO) {
            return mode;
        }
        return barrierUnavailable(train) == null ? StepMode.BARRIER : StepMode.DATAFRAME;
    }

    /**
     * Why resident steps cannot run over {@code train}'s partitions now, or null: a barrier stage
     * needs every partition's task running at once, and no dynamic allocation.
     */
    static String barrierUnavailable(CachedImages train) {
        return BarrierSteps.unavailable(train.context(), train.partitions());
    }

    /** Runs {@code mode} (resolved: not auto) over {@code sampler}'s rows, with {@code dropout} on hidden units. */
    static StepRunner create(StepMode mode, MiniBatchSampler sampler, minibatch.nn.NetworkShape shape, double dropout) {
        return switch (mode) {
            case DATAFRAME -> new DataFrameSteps(sampler, shape, dropout);
            case BARRIER -> new BarrierSteps(sampler, shape, dropout);
            case AUTO -> throw new IllegalArgumentException("resolve auto first");
        };
    }
}
