package minibatch.data.idx;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import minibatch.data.LabeledImage;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads consecutive records of an {@link IdxImageSet} (image bytes and label) from a given record
 * on; used by the executors' slice reader and, for a few rows, on the driver.
 */
public final class LabeledImageReader implements Closeable {
    private final IdxImageSet set;
    private final DataInputStream pixels;
    private final InputStream labels;
    private long next;

    public LabeledImageReader(IdxImageSet set, Configuration conf, long first) throws IOException {
        this.set = set;
        this.next = first;
        InputStream images = set.images().openAtRecord(conf, first);
        InputStream labelStream;
        try {
            labelStream = set.labelFile().openAtRecord(conf, first);
        } catch (IOException e) {
            images.close();
            throw e;
        }
        this.pixels = new DataInputStream(new BufferedInputStream(images, 1 << 16));
        this.labels = new BufferedInputStream(labelStream);
    }

    /** The next record; an IOException if either file ends early. */
    public LabeledImage read() throws IOException {
        byte[] image = new byte[set.pixelsPerImage()];
        pixels.readFully(image);
        int label = labels.read();
        if (label < 0) {
            throw new IOException(set.labelFile().path() + ": ended early at record " + next);
        }
        next++;
        return new LabeledImage(label, image);
    }

    /**
     * The first {@code n} records (at most all of them), read on the driver: only for small checks
     * and the single-process benchmark baseline; training never reads data on the driver.
     */
    public static List<LabeledImage> readFirst(IdxImageSet set, Configuration conf, int n) throws IOException {
        int count = (int) Math.min(n, set.count());
        List<LabeledImage> rows = new ArrayList<>(count);
        try (LabeledImageReader reader = new LabeledImageReader(set, conf, 0)) {
            for (int i = 0; i < count; i++) {
                rows.add(reader.read());
            }
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        try {
            pixels.close();
        } finally {
            labels.close();
        }
    }
}
