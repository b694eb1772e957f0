package minibatch.nn.f32;

import minibatch.nn.VectorApi;

/**
 * The float32 products of a {@link minibatch.nn.LayerKernel#SPARSE_ROWS} layer over its non-zero
 * inputs only, {@code dst[dstOff + j] += Σ_k xs[k] · src[offs[k] + j]} with the {@code k} in
 * ascending order: forward for one row ({@link #forwardRow}), and a weight gradient row over the
 * batch's rows where that input is non-zero ({@link FloatSparseColumns}). The float64 kernel,
 * {@code minibatch.nn.SparseLayer}, does the same in {@code double}.
 *
 * <p>The SIMD kernel ({@link SimdFloatSparseLayer}) and the plain loop multiply and then add, entry
 * by entry, in the same order, so they give the same bits.
 */
final class FloatSparseLayer {
    private FloatSparseLayer() {
    }

    /**
     * One row's forward product: writes {@code out[outOff + j] = Σ_i in[inOff + i] · w[wOff + i·n + j]}
     * over the row's non-zero inputs {@code i < inputs} (ascending), and their indices into
     * {@code nonZero[nzOff..)}, and returns their count. {@code xs} and {@code offs}
     * ({@code [≥ inputs]}) are work buffers.
     */
    static int forwardRow(float[] in, int inOff, int inputs, int[] nonZero, int nzOff, float[] w, int wOff,
                          float[] out, int outOff, int n, float[] xs, int[] offs) {
        int count = 0;
        for (int i = 0; i < inputs; i++) {
            // branch-free: ~80% of MNIST pixels are zero in no predictable pattern
            nonZero[nzOff + count] = i;
            count += in[inOff + i] != 0f ? 1 : 0;
        }
        for (int k = 0; k < count; k++) {
            int i = nonZero[nzOff + k];
            xs[k] = in[inOff + i];
            offs[k] = wOff + i * n;
        }
        java.util.Arrays.fill(out, outOff, outOff + n, 0f);
        addProducts(xs, offs, 0, count, w, out, outOff, n);
        return count;
    }

    /**
     * {@code dst[dstOff + j] += Σ xs[k] · src[offs[k] + j]} for {@code j < n}, added in ascending
     * {@code k} from {@code from} to {@code to} (exclusive).
     *
     * @param xs   {@code [≥ to]} the factors (input values)
     * @param offs {@code [≥ to]} where each factor's row of {@code n} entries starts in {@code src}
     */
    static void addProducts(float[] xs, int[] offs, int from, int to, float[] src, float[] dst, int dstOff, int n) {
        if (VectorApi.AVAILABLE) {
            SimdFloatSparseLayer.addProducts(xs, offs, from, to, src, dst, dstOff, n);
        } else {
            scalar(xs, offs, from, to, src, dst, dstOff, 0, n);
        }
    }

    /** {@link #addProducts} for the entries {@code first..n)}. */
    static void scalar(float[] xs, int[] offs, int from, int to, float[] src, float[] dst, int dstOff, int first,
                       int n) {
        for (int k = from; k < to; k++) {
            float x = xs[k];
            for (int j = first, s = offs[k]; j < n; j++) {
                dst[dstOff + j] += x * src[s + j];
            }
        }
    }
}
