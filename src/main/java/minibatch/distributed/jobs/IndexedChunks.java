package minibatch.distributed.jobs;

import java.util.Iterator;
import minibatch.data.LabeledImage;
import minibatch.nn.Pass;
import scala.Tuple2;

/**
 * Feeds a partition's rows, each with its index in the set, to a {@link Pass},
 * {@link Pass#maxRows()} at a time: the per-row jobs ({@link Predictions},
 * {@link ConfidentErrors}) run the same forward pass as evaluation.
 */
final class IndexedChunks {
    private IndexedChunks() {
    }

    /**
     * Writes the next rows' inputs into {@code pass.input()} (row r at {@code r · inputs}), the rows
     * into {@code images} and their indices into {@code indices} ({@code [BatchBackprop.MAX_ROWS]} each, the most any pass takes), at most
     * {@code pass.maxRows()} of them, and returns how many.
     */
    static int next(Iterator<Tuple2<LabeledImage, Long>> rows, Pass pass, int inputs, LabeledImage[] images,
                    long[] indices) {
        double[] input = pass.input();
        int n = 0;
        while (n < pass.maxRows() && rows.hasNext()) {
            Tuple2<LabeledImage, Long> row = rows.next();
            row._1().input(input, n * inputs);
            images[n] = row._1();
            indices[n++] = row._2();
        }
        return n;
    }
}
