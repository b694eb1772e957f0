package minibatch.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import minibatch.data.IdxImageSet;
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
        byte[][] pixels = new byte[set.count()][set.pixelsPerImage()];
        int[] labels = new int[set.count()];
        try (InputStream images = set.images().openAtRecord(conf, 0);
             InputStream labelIn = set.labels().openAtRecord(conf, 0)) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(images, 1 << 16));
            java.io.BufferedInputStream lab = new java.io.BufferedInputStream(labelIn);
            for (int i = 0; i < labels.length; i++) {
                in.readFully(pixels[i]);
                labels[i] = lab.read();
            }
        }
        return new DriverData(pixels, labels);
    }
}
