package minibatch.distributed.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.sums.PartitionFunction;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Network;
import minibatch.nn.Pass;
import scala.Tuple2;

/**
 * The rows a model gets wrong with the highest confidence (the probability it gave its wrong
 * class): for the report's gallery. Each partition keeps its own best {@code n} on the executor;
 * the driver merges them, most confident first, ties by row index.
 */
public final class ConfidentErrors {
    private ConfidentErrors() {
    }

    /** A wrong prediction; a plain class, as a task result for {@code spark.serializer}. */
    public static final class Wrong implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long index;
        private final int label;
        private final int predicted;
        private final double probability;
        private final byte[] pixels;

        public Wrong(long index, int label, int predicted, double probability, byte[] pixels) {
            this.index = index;
            this.label = label;
            this.predicted = predicted;
            this.probability = probability;
            this.pixels = pixels;
        }

        /** The row's index in the set's canonical order. */
        public long index() {
            return index;
        }

        public int label() {
            return label;
        }

        public int predicted() {
            return predicted;
        }

        /** The probability the model gave {@link #predicted()}. */
        public double probability() {
            return probability;
        }

        /** {@code [rows × cols]} raw pixels, or null for rows held as feature values. */
        public byte[] pixels() {
            return pixels;
        }
    }

    /** Most confident first; equal probabilities by row index. */
    static final Comparator<Wrong> ORDER = Comparator.comparingDouble(Wrong::probability).reversed()
            .thenComparingLong(Wrong::index);

    /** The {@code n} most confident wrong predictions of {@code params} on {@code rows} (labelled). */
    public static List<Wrong> top(CachedImages rows, Network shape, double[] params, int n) {
        List<Wrong[]> parts = PartitionJob.run(rows.images().zipWithIndex().rdd(), new PartitionTop(shape, params, n));
        List<Wrong> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(Arrays.asList(p)));
        all.sort(ORDER);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /**
     * Runs on an executor: one partition's {@code n} most confident wrong predictions (fewer if it
     * has fewer), a named function class, as {@link PartitionJob} explains, since it holds the weights.
     */
    static final class PartitionTop implements PartitionFunction<Tuple2<LabeledImage, Long>, Wrong[]> {
        private static final long serialVersionUID = 1L;
        private final Network shape;
        private final double[] params;
        private final int n;

        PartitionTop(Network shape, double[] params, int n) {
            this.shape = shape;
            this.params = params;
            this.n = n;
        }

        @Override
        public Wrong[] apply(int partition, Iterator<Tuple2<LabeledImage, Long>> rows) {
            Pass pass = shape.passForThread();
            LabeledImage[] images = new LabeledImage[BatchBackprop.MAX_ROWS];
            long[] indices = new long[BatchBackprop.MAX_ROWS];
            int classes = shape.classes();
            PriorityQueue<Wrong> best = new PriorityQueue<>(ORDER.reversed()); // the least confident on top
            while (rows.hasNext()) {
                int count = IndexedChunks.next(rows, pass, shape.inputs(), images, indices);
                double[] probs = pass.forward(params, count);
                for (int r = 0; r < count; r++) {
                    LabeledImage image = images[r];
                    int predicted = pass.predictedClass(r);
                    if (image.label() >= 0 && predicted != image.label()) {
                        best.add(new Wrong(indices[r], image.label(), predicted, probs[r * classes + predicted],
                                image.pixels()));
                        if (best.size() > n) {
                            best.poll();
                        }
                    }
                }
            }
            return best.toArray(Wrong[]::new);
        }
    }
}
