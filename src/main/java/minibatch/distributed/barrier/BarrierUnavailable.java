package minibatch.distributed.barrier;

/**
 * Resident steps cannot go on with the task slots there are: a Worker lost for good, or other jobs
 * of the application holding the slots past the wait ({@link StepBounds#slotWaitMillis}). Not the
 * user's mistake and not a failure of the run: it may go on with one job per step, which gives the
 * same weights. The message says why.
 */
public final class BarrierUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BarrierUnavailable(String reason) {
        super(reason);
    }
}
