package minibatch.distributed.barrier;

/**
 * A resident task's one-off note to the driver, at the start of a segment and before its first
 * {@link StepReport}: which BLAS its executor's JVM loaded, for a network with a {@code dgemm}
 * layer (summary.json's {@code executor_blas}). It crosses Spark's RPC as {@link #toWire()}, JDK
 * types only, and is not step traffic: the profile's per-step counts leave it out.
 *
 * @param executor the executor id ({@code driver} in {@code local} mode)
 * @param blas     the BLAS netlib's name, e.g. {@code JNIBLAS}
 */
record BlasReport(String executor, String blas) {
    /** The first element of the wire form: a step report starts with its partitions ({@code int[]}). */
    private static final String KIND = "blas";

    /** {@code ["blas", executor, blas]}. */
    Object[] toWire() {
        return new Object[] {KIND, executor, blas};
    }

    /** True if {@code wire} is a {@link #toWire()}. */
    static boolean isWire(Object[] wire) {
        return wire.length == 3 && KIND.equals(wire[0]);
    }

    static BlasReport fromWire(Object[] wire) {
        return new BlasReport((String) wire[1], (String) wire[2]);
    }

    /** The driver's line for it: {@code executor 1: JNIBLAS}. */
    String line() {
        return "executor " + executor + ": " + blas;
    }
}
