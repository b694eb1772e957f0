package minibatch.distributed.sums;

import java.util.Iterator;
import minibatch.data.LabeledImage;
import minibatch.nn.BatchBackprop;

/** Feeds a partition's rows to a {@link BatchBackprop}, {@link BatchBackprop#MAX_ROWS} at a time. */
final class RowChunks {
    private RowChunks() {
    }

    /**
     * Writes the next rows' inputs into {@code pass.input()} (row r at {@code r · inputs}) and their
     * classes into {@code labels}, at most {@code MAX_ROWS} of them, and returns how many.
     */
    static int next(Iterator<LabeledImage> rows, BatchBackprop pass, int inputs, int[] labels) {
        double[] input = pass.input();
        int n = 0;
        while (n < BatchBackprop.MAX_ROWS && rows.hasNext()) {
            LabeledImage row = rows.next();
            row.input(input, n * inputs);
            labels[n++] = row.label();
        }
        return n;
    }
}
