package minibatch.distributed.sums;

import java.util.Iterator;
import minibatch.data.LabeledImage;
import minibatch.nn.Pass;

/** Feeds a partition's rows to a {@link Pass}, {@link Pass#maxRows()} at a time. */
final class RowChunks {
    private RowChunks() {
    }

    /**
     * Writes the next rows' inputs into {@code pass.input()} (row r at {@code r · inputs}) and their
     * classes into {@code labels}, at most {@code pass.maxRows()} of them, and returns how many.
     */
    static int next(Iterator<LabeledImage> rows, Pass pass, int inputs, int[] labels) {
        double[] input = pass.input();
        int n = 0;
        while (n < pass.maxRows() && rows.hasNext()) {
            LabeledImage row = rows.next();
            row.input(input, n * inputs);
            labels[n++] = row.label();
        }
        return n;
    }
}
