package minibatch.data.idx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import minibatch.data.ImageSource;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Runs on an executor: reads slice {@code i} of {@code n} of an {@link IdxImageSet} straight from
 * the file system and yields {@link LabeledImage}s one at a time. The driver never holds
 * the data.
 */
final class SliceReader implements FlatMapFunction<Integer, LabeledImage> {
    private static final long serialVersionUID = 1L;

    private final IdxImageSet set;
    /**
     * Broadcast, as Spark's HadoopRDD does: the cached RDD keeps this function in its lineage, so
     * every later task (every training step) would otherwise deserialize a whole Hadoop
     * Configuration, which measured ~15 ms per step.
     */
    private final Broadcast<SerializableConfiguration> conf;
    private final int slices;

    SliceReader(IdxImageSet set, Broadcast<SerializableConfiguration> conf, int slices) {
        this.set = set;
        this.conf = conf;
        this.slices = slices;
    }

    @Override
    public Iterator<LabeledImage> call(Integer slice) throws IOException {
        long start = ImageSource.sliceStart(set.count(), slices, slice);
        long end = ImageSource.sliceStart(set.count(), slices, slice + 1);
        LabeledImageReader reader = new LabeledImageReader(set, conf.value().value(), start);
        return new Iterator<>() {
            private long next = start;

            @Override
            public boolean hasNext() {
                if (next < end) {
                    return true;
                }
                close();
                return false;
            }

            @Override
            public LabeledImage next() {
                if (next >= end) {
                    throw new NoSuchElementException();
                }
                try {
                    LabeledImage image = reader.read();
                    next++;
                    return image;
                } catch (IOException e) {
                    close();
                    throw new UncheckedIOException(e);
                }
            }

            private void close() {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // read-only streams: nothing is lost if closing fails
                }
            }
        };
    }
}
