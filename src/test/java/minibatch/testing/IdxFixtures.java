package minibatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import minibatch.data.idx.MnistFiles;

/** Writes small IDX files for tests: exact bytes, broken on purpose, or a learnable synthetic set. */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    /** IDX bytes: magic, dims (big-endian int32), then {@code data}. */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return idx(0x00000803, new int[] {count, rows, cols}, pixels);
    }

    public static byte[] labels(byte[] labels) {
        return idx(0x00000801, new int[] {labels.length}, labels);
    }

    public static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                out.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A labelled image set: {@code pixels [count × rows·cols]} and {@code labels [count]}. */
    public record ImageSet(int rows, int cols, byte[] pixels, byte[] labels) {
        public int count() {
            return labels.length;
        }

        public byte[] image(int i) {
            int w = rows * cols;
            return java.util.Arrays.copyOfRange(pixels, i * w, (i + 1) * w);
        }
    }

    /**
     * A learnable set: each class has a random prototype image; every example is its class's
     * prototype with about a quarter of the pixels replaced by noise, so classes are separable but
     * not trivially.
     */
    public static ImageSet synthetic(int count, int rows, int cols, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = rows * cols;
        byte[][] prototypes = new byte[classes][w];
        for (byte[] p : prototypes) {
            for (int i = 0; i < w; i++) {
                p[i] = (byte) (rng.nextInt(3) == 0 ? rng.nextInt(128, 256) : 0);
            }
        }
        byte[] pixels = new byte[count * w];
        byte[] labels = new byte[count];
        for (int r = 0; r < count; r++) {
            int label = rng.nextInt(classes);
            labels[r] = (byte) label;
            for (int i = 0; i < w; i++) {
                pixels[r * w + i] = rng.nextInt(4) == 0 ? (byte) rng.nextInt(256) : prototypes[label][i];
            }
        }
        return new ImageSet(rows, cols, pixels, labels);
    }

    /** Writes train and test sets under the four MNIST names into {@code dir}, raw or gzip. */
    public static Path writeMnistLayout(Path dir, ImageSet train, ImageSet test, boolean gzip) throws IOException {
        writeSet(dir, MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, train, gzip);
        writeSet(dir, MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS, test, gzip);
        return dir;
    }

    private static void writeSet(Path dir, String imagesName, String labelsName, ImageSet set, boolean gzip)
            throws IOException {
        byte[] images = images(set.count(), set.rows(), set.cols(), set.pixels());
        byte[] labels = labels(set.labels());
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(imagesName + suffix), gzip ? gzip(images) : images);
        write(dir.resolve(labelsName + suffix), gzip ? gzip(labels) : labels);
    }

    /** A synthetic MNIST-layout folder with 8×8 images of 4 classes. */
    public static Path syntheticMnist(Path dir, int trainCount, int testCount, long seed) throws IOException {
        ImageSet all = synthetic(trainCount + testCount, 8, 8, 4, seed);
        int w = all.rows() * all.cols();
        ImageSet train = new ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 0, trainCount * w),
                java.util.Arrays.copyOfRange(all.labels(), 0, trainCount));
        ImageSet test = new ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), trainCount * w, all.pixels().length),
                java.util.Arrays.copyOfRange(all.labels(), trainCount, all.labels().length));
        return writeMnistLayout(dir, train, test, false);
    }
}
