package minibatch.nn.f32;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatSparseLayer#addProducts} with the Vector API: blocks of destination entries held in
 * registers while the loop runs over the factors (four vectors, then two, then one), then single
 * entries. Lane-wise multiply, then add (no fused multiply-add, which rounds once and would give
 * other numbers than the plain loop). Loaded only when the {@code jdk.incubator.vector} module is
 * present.
 *
 * <p>One vector shape only, as the float64 kernel: a first version added 8- and 4-lane vectors for
 * the tails of narrow layers beside the preferred 16 lanes; the shared {@code FloatVector} methods
 * then profiled two vector classes, C2 (JDK 17) reported the Vector API intrinsics failing there
 * ({@code -XX:+PrintIntrinsics}), and that float32 pass took 1.9× the float64 pass's time per
 * step. A 10-wide output layer is therefore left to the scalar loop.
 */
final class SimdFloatSparseLayer {
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
    private static final int L = WIDE.length();

    private SimdFloatSparseLayer() {
    }

    static void addProducts(float[] xs, int[] offs, int from, int to, float[] src, float[] dst, int dstOff, int n) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            int o = dstOff + j;
            FloatVector a0 = FloatVector.fromArray(WIDE, dst, o);
            FloatVector a1 = FloatVector.fromArray(WIDE, dst, o + L);
            FloatVector a2 = FloatVector.fromArray(WIDE, dst, o + 2 * L);
            FloatVector a3 = FloatVector.fromArray(WIDE, dst, o + 3 * L);
            for (int k = from; k < to; k++) {
                FloatVector x = FloatVector.broadcast(WIDE, xs[k]);
                int s = offs[k] + j;
                a0 = a0.add(FloatVector.fromArray(WIDE, src, s).mul(x));
                a1 = a1.add(FloatVector.fromArray(WIDE, src, s + L).mul(x));
                a2 = a2.add(FloatVector.fromArray(WIDE, src, s + 2 * L).mul(x));
                a3 = a3.add(FloatVector.fromArray(WIDE, src, s + 3 * L).mul(x));
            }
            a0.intoArray(dst, o);
            a1.intoArray(dst, o + L);
            a2.intoArray(dst, o + 2 * L);
            a3.intoArray(dst, o + 3 * L);
        }
        if (j + 2 * L <= n) {
            int o = dstOff + j;
            FloatVector a0 = FloatVector.fromArray(WIDE, dst, o);
            FloatVector a1 = FloatVector.fromArray(WIDE, dst, o + L);
            for (int k = from; k < to; k++) {
                FloatVector x = FloatVector.broadcast(WIDE, xs[k]);
                int s = offs[k] + j;
                a0 = a0.add(FloatVector.fromArray(WIDE, src, s).mul(x));
                a1 = a1.add(FloatVector.fromArray(WIDE, src, s + L).mul(x));
            }
            a0.intoArray(dst, o);
            a1.intoArray(dst, o + L);
            j += 2 * L;
        }
        if (j + L <= n) {
            FloatVector a = FloatVector.fromArray(WIDE, dst, dstOff + j);
            for (int k = from; k < to; k++) {
                a = a.add(FloatVector.fromArray(WIDE, src, offs[k] + j).mul(FloatVector.broadcast(WIDE, xs[k])));
            }
            a.intoArray(dst, dstOff + j);
            j += L;
        }
        FloatSparseLayer.scalar(xs, offs, from, to, src, dst, dstOff, j, n);
    }
}
