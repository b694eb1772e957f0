package minibatch.nn;

/**
 * {@code y[yOff + j] += a * x[xOff + j]} for {@code j < n}: the inner loop of both passes.
 *
 * <p>HotSpot's C2 (Java 17) does not vectorize this loop on its own, because it cannot prove that
 * {@code x} and {@code y} are different arrays. With the Vector API present (the
 * {@code --add-modules=jdk.incubator.vector} flag, which Spark 4's launcher and {@code submit.sh}
 * pass to every JVM) {@link SimdAxpy} does it with SIMD registers, about 2.4× faster at 128 wide;
 * otherwise the plain loop runs. Both multiply and then add, element by element, with the same
 * rounding, so they give bit-identical results: a run's numbers do not depend on which one ran.
 */
final class Axpy {
    private Axpy() {
    }

    static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        if (VectorApi.AVAILABLE) {
            SimdAxpy.axpy(a, x, xOff, y, yOff, n);
        } else {
            scalar(a, x, xOff, y, yOff, n);
        }
    }

    static void scalar(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }
}
