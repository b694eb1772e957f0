package minibatch.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Axpy} with the Vector API. Loaded only when the {@code jdk.incubator.vector} module is
 * present. Lane-wise multiply, then add (not a fused multiply-add, which rounds once and would give
 * other numbers than the plain loop).
 */
final class SimdAxpy {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private SimdAxpy() {
    }

    static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        int j = 0;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) {
            DoubleVector va = DoubleVector.broadcast(SPECIES, a);
            for (; j < bound; j += SPECIES.length()) {
                DoubleVector vy = DoubleVector.fromArray(SPECIES, y, yOff + j);
                DoubleVector vx = DoubleVector.fromArray(SPECIES, x, xOff + j);
                vy.add(vx.mul(va)).intoArray(y, yOff + j);
            }
        }
        for (; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }
}
