package minibatch.nn;

import java.util.Locale;

/** How one affine layer of a mini-batch is computed ({@link BatchBackprop}). */
public enum LayerKernel {
    /**
     * Row by row, one {@code axpy} per non-zero input: MNIST pixels are ~80% zeros, and a narrow
     * layer gives a matrix product too little to do per call.
     */
    SPARSE_ROWS,
    /** The whole batch as matrix products ({@code dgemm}): forward, weight gradient, and the gradient below. */
    DENSE_GEMM;

    /**
     * Both sides of a layer at least this wide make it a {@link #DENSE_GEMM} layer (if a hidden
     * layer feeds it). At 50 rows a {@code dgemm} of 1024 × 1024 ran 3× the row kernel on this
     * machine; below ~128 wide the row kernel's zero skipping wins (BENCHMARKS.md, 2026-11-28 and 2026-12-02).
     */
    public static final int DENSE_MIN_WIDTH = 128;

    /** The kernel of each layer ({@code [layers]}): the input layer is always sparse rows (pixels). */
    public static LayerKernel[] of(NetworkShape shape) {
        LayerKernel[] kernels = new LayerKernel[shape.layers()];
        for (int l = 0; l < kernels.length; l++) {
            boolean wide = shape.size(l) >= DENSE_MIN_WIDTH && shape.size(l + 1) >= DENSE_MIN_WIDTH;
            kernels[l] = l > 0 && wide ? DENSE_GEMM : SPARSE_ROWS;
        }
        return kernels;
    }

    /** E.g. {@code sparse_rows, dense_gemm, sparse_rows} for 784-1024-1024-10. */
    public static String describe(NetworkShape shape) {
        StringBuilder s = new StringBuilder();
        for (LayerKernel k : of(shape)) {
            s.append(s.length() == 0 ? "" : ", ").append(k.name().toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }
}
