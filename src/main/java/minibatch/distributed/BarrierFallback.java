package minibatch.distributed;

import java.util.function.Consumer;
import minibatch.config.StepMode;
import minibatch.distributed.barrier.BarrierSteps;
import minibatch.distributed.barrier.BarrierUnavailable;
import minibatch.distributed.jobs.DataFrameSteps;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sums.GradientSums;

/**
 * Resident steps that give way to one job per step when their task slots are gone for good (a
 * Worker lost, other jobs holding the slots past the wait): the step that found them short and
 * every later one run as {@link DataFrameSteps}, which gives the same sums, so the run's weights do
 * not change. The switch is told once, as one line.
 */
final class BarrierFallback implements StepRunner {
    private final BarrierSteps barrier;
    private final DataFrameSteps jobs;
    private final Consumer<String> notices;
    private StepRunner current;

    BarrierFallback(BarrierSteps barrier, DataFrameSteps jobs, Consumer<String> notices) {
        this.barrier = barrier;
        this.jobs = jobs;
        this.notices = notices;
        this.current = barrier;
    }

    @Override
    public GradientSums sums(long step, double[] params, StepProfile profile) {
        if (current == barrier) {
            try {
                return barrier.sums(step, params, profile);
            } catch (BarrierUnavailable e) {
                current = jobs;
                barrier.close();
                notices.accept("sampler: dataframe from step " + step + " (resident steps unavailable: " + e.getMessage()
                        + "; one Spark job per step over Dataset.sample for the rest of the run)");
            }
        }
        return jobs.sums(step, params, profile);
    }

    @Override
    public void pause() {
        current.pause();
    }

    @Override
    public java.util.List<String> executorBlas() {
        return barrier.executorBlas();
    }

    /** The mode the steps run in now: barrier, or dataframe after the switch. */
    @Override
    public StepMode mode() {
        return current.mode();
    }

    @Override
    public void close() {
        barrier.close();
    }
}
