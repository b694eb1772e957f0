package minibatch.distributed.jobs;

import java.util.Iterator;
import minibatch.data.LabeledImage;
import minibatch.data.cache.FrameLayout;
import minibatch.distributed.sums.PartitionFunction;
import org.apache.spark.sql.Row;

/**
 * A partition function over a cached DataFrame's rows that decodes them ({@link FrameLayout}) for
 * one over examples: how evaluation and the per-step job read the cache.
 */
final class DecodedRows<T> implements PartitionFunction<Row, T> {
    private static final long serialVersionUID = 1L;
    private final FrameLayout layout;
    private final PartitionFunction<LabeledImage, T> function;

    DecodedRows(FrameLayout layout, PartitionFunction<LabeledImage, T> function) {
        this.layout = layout;
        this.function = function;
    }

    @Override
    public T apply(int partition, Iterator<Row> rows) {
        return function.apply(partition, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public LabeledImage next() {
                return layout.decode(rows.next());
            }
        });
    }
}
