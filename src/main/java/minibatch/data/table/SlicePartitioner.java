package minibatch.data.table;

import minibatch.data.ImageSource;
import org.apache.spark.Partitioner;

/**
 * Sends row {@code i} of {@code count} (a {@code Long} key) to the slice that holds it in
 * {@link ImageSource#sliceStart} terms, so table formats are partitioned exactly like IDX slices.
 */
final class SlicePartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final long count;
    private final int slices;

    SlicePartitioner(long count, int slices) {
        this.count = count;
        this.slices = slices;
    }

    @Override
    public int numPartitions() {
        return slices;
    }

    @Override
    public int getPartition(Object key) {
        long index = (Long) key;
        int slice = (int) Math.min(slices - 1, index * slices / count);
        while (slice > 0 && ImageSource.sliceStart(count, slices, slice) > index) {
            slice--;
        }
        while (slice < slices - 1 && ImageSource.sliceStart(count, slices, slice + 1) <= index) {
            slice++;
        }
        return slice;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlicePartitioner p && p.count == count && p.slices == slices;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + slices;
    }
}
