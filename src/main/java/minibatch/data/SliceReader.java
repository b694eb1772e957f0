package minibatch.data;

import java.io.DataInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
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

    /** First record of slice {@code i}: slices differ in size by at most one record. */
    static long sliceStart(long count, int slices, int i) {
        return count * i / slices;
    }

    @Override
    public Iterator<LabeledImage> call(Integer slice) throws IOException {
        long start = sliceStart(set.count(), slices, slice);
        long end = sliceStart(set.count(), slices, slice + 1);
        InputStream images = set.images().openAtRecord(conf.value().value(), start);
        InputStream labels = new BufferedInputStream(set.labels().openAtRecord(conf.value().value(), start));
        DataInputStream pixels = new DataInputStream(new BufferedInputStream(images, 1 << 16));
        int width = set.pixelsPerImage();
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
                    byte[] image = new byte[width];
                    pixels.readFully(image);
                    int label = labels.read();
                    if (label < 0) {
                        throw new IOException(set.labels().path() + ": ended early at record " + next);
                    }
                    next++;
                    return new LabeledImage(label, image);
                } catch (IOException e) {
                    close();
                    throw new UncheckedIOException(e);
                }
            }

            private void close() {
                try {
                    pixels.close();
                    labels.close();
                } catch (IOException ignored) {
                    // read-only streams: nothing is lost if closing fails
                }
            }
        };
    }
}
