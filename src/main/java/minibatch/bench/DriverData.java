package minibatch.bench;

import java.io.IOException;
import java.util.List;
import minibatch.data.LabeledImage;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.LabeledImageReader;
import org.apache.hadoop.conf.Configuration;

/**
 * An image set read whole into driver memory: only for the single-process baseline of the
 * benchmark, which by definition runs without Spark. Training itself never does this.
 *
 * @param pixels {@code [count × pixelsPerImage]} unsigned bytes
 * @param labels {@code [count]}
 */
record DriverData(byte[][] pixels, int[] labels) {
    static DriverData read(IdxImageSet set, Configuration conf) throws IOException {
        List<LabeledImage> rows = LabeledImageReader.readFirst(set, conf, (int) set.count());
        byte[][] pixels = new byte[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < labels.length; i++) {
            pixels[i] = rows.get(i).pixels();
            labels[i] = rows.get(i).label();
        }
        return new DriverData(pixels, labels);
    }
}
