package minibatch.distributed.barrier;

import java.io.Serializable;
import minibatch.distributed.sampling.PartitionSampler;

/**
 * The driver's order to every resident task ({@link BarrierSteps}): compute step {@code step}'s
 * sums at {@code params}, or stop.
 *
 * <p>In {@code local} mode Spark's RPC hands this object to the tasks without copying it, so
 * {@code params} is the driver's live weight vector; the driver changes it only after every
 * partition has reported this step's sums (see {@link StepCoordinator}).
 *
 * <p>It crosses Spark's RPC as {@link #toWire()}, JDK types only: an executor decodes RPC
 * messages before the application's jar is on its class path.
 */
final class StepOrder implements Serializable {
    private static final long serialVersionUID = 1L;

    static final StepOrder STOP = new StepOrder(-1, 0L, null, 0L, null, 0L);

    private final long step;
    private final long sampleSeed;
    private final long[] aheadSeeds;
    private final long dropoutSeed;
    private final double[] params;
    private final long waitMillis;

    /**
     * @param step        the training step (increasing within a run)
     * @param sampleSeed  the step's {@code Dataset.sample} seed; each task derives its partition's
     *                    sampler seed from it as Spark does ({@link PartitionSampler})
     * @param aheadSeeds  {@code [k]}: the sample seeds of steps {@code step+1 .. step+k}: a task draws
     *                    those batches while it would otherwise wait for the driver
     * @param dropoutSeed the step's dropout seed (unused without dropout)
     * @param params      {@code [parameterCount]} the weights to evaluate the gradient at
     * @param waitMillis  how long the task waits for its next order before it fails ({@link StepBounds})
     */
    StepOrder(long step, long sampleSeed, long[] aheadSeeds, long dropoutSeed, double[] params, long waitMillis) {
        this.step = step;
        this.sampleSeed = sampleSeed;
        this.aheadSeeds = aheadSeeds;
        this.dropoutSeed = dropoutSeed;
        this.params = params;
        this.waitMillis = waitMillis;
    }

    /** {@code [step, sampleSeed, aheadSeeds, dropoutSeed, params, waitMillis]}, or {@code [-1L]} for STOP. */
    Object[] toWire() {
        return stop() ? new Object[] {-1L} : new Object[] {step, sampleSeed, aheadSeeds, dropoutSeed, params, waitMillis};
    }

    static StepOrder fromWire(Object wire) {
        Object[] w = (Object[]) wire;
        return w.length == 1 ? STOP
                : new StepOrder((Long) w[0], (Long) w[1], (long[]) w[2], (Long) w[3], (double[]) w[4], (Long) w[5]);
    }

    boolean stop() {
        return params == null;
    }

    long step() {
        return step;
    }

    long sampleSeed() {
        return sampleSeed;
    }

    /** How many later steps' seeds this order carries. */
    int ahead() {
        return aheadSeeds == null ? 0 : aheadSeeds.length;
    }

    /** The sample seed of step {@code step() + 1 + i}. */
    long aheadSeed(int i) {
        return aheadSeeds[i];
    }

    long dropoutSeed() {
        return dropoutSeed;
    }

    double[] params() {
        return params;
    }

    long waitMillis() {
        return waitMillis;
    }
}
