package minibatch.nn.f32;

/**
 * The non-zero float32 inputs of a batch's rows regrouped by input (column), for a sparse layer's
 * weight gradient: for input {@code i}, entries {@code start[i]..start[i+1])} of {@link #values} and
 * {@link #rowOffsets} are its non-zero values and the offsets {@code r · width} of their rows, in
 * ascending row order (the float64 pass's {@code minibatch.nn.SparseColumns}, in {@code float}).
 */
final class FloatSparseColumns {
    final int[] start;
    final float[] values;
    final int[] rowOffsets;
    private final int[] cursor;

    /** Room for {@code maxRows} rows of {@code maxInputs} inputs. */
    FloatSparseColumns(int maxRows, int maxInputs) {
        this.start = new int[maxInputs + 1];
        this.cursor = new int[maxInputs];
        this.values = new float[maxRows * maxInputs];
        this.rowOffsets = new int[maxRows * maxInputs];
    }

    /**
     * Regroups rows {@code 0..rows)}: row r's non-zero inputs are {@code nonZero[r·inputs + k]} for
     * {@code k < count[r]} (ascending), with values {@code in[r·inputs + i]}; {@code width} is the
     * row stride of the matrix the offsets point into.
     */
    void build(float[] in, int[] nonZero, int[] count, int rows, int inputs, int width) {
        java.util.Arrays.fill(start, 0, inputs + 1, 0);
        for (int r = 0; r < rows; r++) {
            for (int k = 0, base = r * inputs; k < count[r]; k++) {
                start[nonZero[base + k] + 1]++;
            }
        }
        for (int i = 0; i < inputs; i++) {
            start[i + 1] += start[i];
            cursor[i] = start[i];
        }
        for (int r = 0; r < rows; r++) {
            for (int k = 0, base = r * inputs; k < count[r]; k++) {
                int i = nonZero[base + k];
                int p = cursor[i]++;
                values[p] = in[base + i];
                rowOffsets[p] = r * width;
            }
        }
    }
}
