package minibatch.data.cache;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.function.Function2;

/**
 * Runs on an executor: emits every image {@code copies} times, the first unchanged and the others
 * shifted by a random offset of up to 2 pixels in each direction of the image's real height and
 * width, a pixel's channels moving together (vacated pixels are 0). The
 * offsets come from (seed, partition, position, copy), so the replicated set is the same on every
 * run and on a task retry. Used to measure how step cost scales with the size of the data.
 */
final class Replicator implements Function2<Integer, Iterator<LabeledImage>, Iterator<LabeledImage>> {
    private static final long serialVersionUID = 1L;
    static final int MAX_SHIFT = 2;

    private final int copies;
    private final int rows;
    private final int cols;
    private final int channels;
    private final long seed;

    /** Images of {@code rows × cols} pixels of {@code channels} values each ({@code [rows × cols × channels]}). */
    Replicator(int copies, int rows, int cols, int channels, long seed) {
        this.copies = copies;
        this.rows = rows;
        this.cols = cols;
        this.channels = channels;
        this.seed = seed;
    }

    @Override
    public Iterator<LabeledImage> call(Integer partition, Iterator<LabeledImage> source) {
        return new Iterator<>() {
            private LabeledImage current;
            private long position = -1;
            private int copy = copies;

            @Override
            public boolean hasNext() {
                return copy < copies || source.hasNext();
            }

            @Override
            public LabeledImage next() {
                if (copy >= copies) {
                    if (!source.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    current = source.next();
                    position++;
                    copy = 0;
                }
                int c = copy++;
                if (c == 0) {
                    return current;
                }
                SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (partition + 1))
                        ^ (0xBF58476D1CE4E5B9L * (position + 1)) ^ (0x94D049BB133111EBL * c));
                int dx = rng.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
                int dy = rng.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
                return new LabeledImage(current.label(), shift(current.pixels(), rows, cols, channels, dx, dy));
            }
        };
    }

    /** {@code out[r][c][k] = in[r - dy][c - dx][k]}, 0 where that is outside the image. */
    static byte[] shift(byte[] in, int rows, int cols, int channels, int dx, int dy) {
        byte[] out = new byte[in.length];
        for (int r = 0; r < rows; r++) {
            int sr = r - dy;
            if (sr < 0 || sr >= rows) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                int sc = c - dx;
                if (sc >= 0 && sc < cols) {
                    System.arraycopy(in, (sr * cols + sc) * channels, out, (r * cols + c) * channels, channels);
                }
            }
        }
        return out;
    }
}
