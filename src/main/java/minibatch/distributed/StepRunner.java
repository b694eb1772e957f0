package minibatch.distributed;

import minibatch.config.StepMode;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sums.GradientSums;

/**
 * How the training loop gets a step's sums: "the summed loss, summed gradient and row count N
 * over step t's mini-batch, at these weights". Two implementations run steps differently with the
 * same numbers: one Spark job per step over {@code Dataset.sample} ({@code jobs/DataFrameSteps}) and
 * barrier tasks that stay up between evaluations ({@code barrier/BarrierSteps}); {@link StepRunners}
 * chooses and makes one. The caller divides by N.
 */
public interface StepRunner extends AutoCloseable {
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
}
