package minibatch.distributed;

import java.util.Map;
import java.util.function.Consumer;
import minibatch.config.StepMode;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.barrier.BarrierSteps;
import minibatch.distributed.jobs.DataFrameSteps;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.nn.Network;

/** Chooses and makes the {@link StepRunner} of a run: the one place that knows both kinds. */
public final class StepRunners {
    private StepRunners() {
    }

    /** The SQL settings every session that trains applies ({@link DataFrameSteps#SQL_SETTINGS}). */
    public static Map<String, String> sqlSettings() {
        return DataFrameSteps.SQL_SETTINGS;
    }

    /** {@code mode}, with auto resolved to barrier where the cluster can run resident steps over {@code train}, else dataframe. */
    public static StepMode resolve(StepMode mode, CachedImages train) {
        if (mode != StepMode.AUTO) {
            return mode;
        }
        return barrierUnavailable(train) == null ? StepMode.BARRIER : StepMode.DATAFRAME;
    }

    /**
     * Why resident steps cannot run over {@code train}'s partitions now, or null: a barrier stage
     * needs every partition's task running at once, and no dynamic allocation.
     */
    public static String barrierUnavailable(CachedImages train) {
        return BarrierSteps.unavailable(train.context(), train.partitions());
    }

    /**
     * Runs {@code mode} (resolved: not auto) over {@code sampler}'s rows, with {@code dropout} on
     * hidden units. Barrier steps whose task slots are gone for good go on as one job per step
     * (the same weights), saying so in one line to {@code notices}.
     */
    public static StepRunner create(StepMode mode, MiniBatchSampler sampler, Network shape, double dropout,
                                    Consumer<String> notices) {
        return switch (mode) {
            case DATAFRAME -> new DataFrameSteps(sampler, shape, dropout);
            case BARRIER -> new BarrierFallback(new BarrierSteps(sampler, shape, dropout),
                    new DataFrameSteps(sampler, shape, dropout), notices);
            case AUTO -> throw new IllegalArgumentException("resolve auto first");
        };
    }
}
