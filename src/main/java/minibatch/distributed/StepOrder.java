package minibatch.distributed;

import java.io.Serializable;

/**
 * The driver's order to every resident task of barrier-mode training ({@link BarrierSteps}):
 * compute step {@code step}'s sums at {@code params}, or stop.
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

    static final StepOrder STOP = new StepOrder(-1, null, null, 0L, null);

    private final long step;
    private final long[] partitionSeeds;
    private final long[] nextPartitionSeeds;
    private final long dropoutSeed;
    private final double[] params;

    /**
     * @param step           the driver's running step number (unique within a training run)
     * @param partitionSeeds {@code [partitions]}: the seed of each partition's sampler, as
     *                       {@code RDD.sample} would give it for the step's seed
     * @param nextPartitionSeeds {@code [partitions]} the same for the next step, or null: a task
     *                       samples that batch while the driver adds this step's sums and updates
     * @param dropoutSeed    the step's dropout seed (unused without dropout)
     * @param params         {@code [parameterCount]} the weights to evaluate the gradient at
     */
    StepOrder(long step, long[] partitionSeeds, long[] nextPartitionSeeds, long dropoutSeed, double[] params) {
        this.step = step;
        this.partitionSeeds = partitionSeeds;
        this.nextPartitionSeeds = nextPartitionSeeds;
        this.dropoutSeed = dropoutSeed;
        this.params = params;
    }

    /** {@code [step, partitionSeeds, nextPartitionSeeds, dropoutSeed, params]}, or {@code [-1L]} for STOP. */
    Object[] toWire() {
        return stop() ? new Object[] {-1L} : new Object[] {step, partitionSeeds, nextPartitionSeeds, dropoutSeed, params};
    }

    static StepOrder fromWire(Object wire) {
        Object[] w = (Object[]) wire;
        return w.length == 1 ? STOP
                : new StepOrder((Long) w[0], (long[]) w[1], (long[]) w[2], (Long) w[3], (double[]) w[4]);
    }

    boolean stop() {
        return params == null;
    }

    long step() {
        return step;
    }

    long partitionSeed(int partition) {
        return partitionSeeds[partition];
    }

    /** True when the next step's partition seeds are known. */
    boolean hasNext() {
        return nextPartitionSeeds != null;
    }

    long nextPartitionSeed(int partition) {
        return nextPartitionSeeds[partition];
    }

    long dropoutSeed() {
        return dropoutSeed;
    }

    double[] params() {
        return params;
    }
}
