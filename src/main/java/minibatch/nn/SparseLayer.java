package minibatch.nn;

/**
 * The products of a {@link LayerKernel#SPARSE_ROWS} layer over its non-zero inputs only,
 * {@code dst[dstOff + j] += Σ_k xs[k] · src[offs[k] + j]} with the {@code k} in ascending order,
 * with each destination entry built up in a register instead of in memory:
 *
 * <ul>
 *   <li>forward, for one row ({@link #forwardRow}): {@code xs} its non-zero inputs, {@code src}
 *       the weights, {@code offs} the inputs' weight rows, {@code dst} the row's pre-activation;</li>
 *   <li>the weight gradient, for one input {@code i}: {@code xs} the input's non-zero values in the
 *       batch's rows, {@code src} the output gradients, {@code offs} those rows, {@code dst} the
 *       gradient sum's row {@code i} ({@link SparseColumns} lists the rows in ascending order).</li>
 * </ul>
 * Each entry receives exactly the multiplications and additions, in the same order, as one
 * {@link Axpy} per non-zero input and row (the loops of the row-by-row reference pass in the
 * tests), so the results are the same bits; what changes is that the entries stay in SIMD
 * registers across the {@code k}, where the axpy loop loads and stores them once per input.
 */
final class SparseLayer {
    private SparseLayer() {
    }

    /**
     * One row's forward product: writes {@code out[outOff + j] = Σ_i in[inOff + i] · w[wOff + i·n + j]}
     * over the row's non-zero inputs {@code i < inputs} (ascending), and their indices into
     * {@code nonZero[nzOff..)}, and returns their count. {@code xs} and {@code offs}
     * ({@code [≥ inputs]}) are work buffers.
     */
    static int forwardRow(double[] in, int inOff, int inputs, int[] nonZero, int nzOff, double[] w, int wOff,
                          double[] out, int outOff, int n, double[] xs, int[] offs) {
        int count = 0;
        for (int i = 0; i < inputs; i++) {
            // branch-free: ~80% of MNIST pixels are zero in no predictable pattern, so a test per
            // entry mispredicts often
            nonZero[nzOff + count] = i;
            count += in[inOff + i] != 0.0 ? 1 : 0;
        }
        for (int k = 0; k < count; k++) {
            int i = nonZero[nzOff + k];
            xs[k] = in[inOff + i];
            offs[k] = wOff + i * n;
        }
        java.util.Arrays.fill(out, outOff, outOff + n, 0.0);
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
    static void addProducts(double[] xs, int[] offs, int from, int to, double[] src, double[] dst, int dstOff, int n) {
        if (VectorApi.AVAILABLE) {
            SimdSparseLayer.addProducts(xs, offs, from, to, src, dst, dstOff, n);
        } else {
            scalar(xs, offs, from, to, src, dst, dstOff, 0, n);
        }
    }

    /** {@link #addProducts} for the entries {@code first..n)}. */
    static void scalar(double[] xs, int[] offs, int from, int to, double[] src, double[] dst, int dstOff, int first,
                       int n) {
        // input by input, as the axpy loop: each entry still adds its products in ascending k
        for (int k = from; k < to; k++) {
            double x = xs[k];
            for (int j = first, s = offs[k]; j < n; j++) {
                dst[dstOff + j] += x * src[s + j];
            }
        }
    }
}
