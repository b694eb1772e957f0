package minibatch.nn.layers;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ReluKernel} with the Vector API; loaded only when the {@code jdk.incubator.vector} module is present. */
final class SimdReluKernel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private SimdReluKernel() {
    }

    static void forward(double[] in, double[] out, int n) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, in, i);
            // v > 0 keeps v; anything else (negative, ±0, NaN) becomes +0, as the scalar loop does
            zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = in[i] > 0.0 ? in[i] : 0.0;
        }
    }

    static void backward(double[] out, double[] dOut, double[] dIn, int n) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            VectorMask<Double> on = DoubleVector.fromArray(SPECIES, out, i).compare(VectorOperators.GT, 0.0);
            DoubleVector.fromArray(SPECIES, dOut, i).mul(zero.blend(one, on)).intoArray(dIn, i);
        }
        ReluKernel.backwardScalar(out, dOut, dIn, i, n);
    }
}
