package minibatch.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseLayer#addProducts} with the Vector API: four vectors of destination entries at a
 * time held in registers while the loop runs over the factors, then one vector, then single
 * entries. Lane-wise multiply, then add (no fused multiply-add), as {@link SimdAxpy}. Loaded only
 * when the {@code jdk.incubator.vector} module is present.
 */
final class SimdSparseLayer {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private SimdSparseLayer() {
    }

    static void addProducts(double[] xs, int[] offs, int from, int to, double[] src, double[] dst, int dstOff, int n) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            int o = dstOff + j;
            DoubleVector a0 = DoubleVector.fromArray(SPECIES, dst, o);
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, dst, o + L);
            DoubleVector a2 = DoubleVector.fromArray(SPECIES, dst, o + 2 * L);
            DoubleVector a3 = DoubleVector.fromArray(SPECIES, dst, o + 3 * L);
            for (int k = from; k < to; k++) {
                DoubleVector x = DoubleVector.broadcast(SPECIES, xs[k]);
                int s = offs[k] + j;
                a0 = a0.add(DoubleVector.fromArray(SPECIES, src, s).mul(x));
                a1 = a1.add(DoubleVector.fromArray(SPECIES, src, s + L).mul(x));
                a2 = a2.add(DoubleVector.fromArray(SPECIES, src, s + 2 * L).mul(x));
                a3 = a3.add(DoubleVector.fromArray(SPECIES, src, s + 3 * L).mul(x));
            }
            a0.intoArray(dst, o);
            a1.intoArray(dst, o + L);
            a2.intoArray(dst, o + 2 * L);
            a3.intoArray(dst, o + 3 * L);
        }
        for (; j + L <= n; j += L) {
            DoubleVector a = DoubleVector.fromArray(SPECIES, dst, dstOff + j);
            for (int k = from; k < to; k++) {
                a = a.add(DoubleVector.fromArray(SPECIES, src, offs[k] + j).mul(DoubleVector.broadcast(SPECIES, xs[k])));
            }
            a.intoArray(dst, dstOff + j);
        }
        SparseLayer.scalar(xs, offs, from, to, src, dst, dstOff, j, n);
    }
}
