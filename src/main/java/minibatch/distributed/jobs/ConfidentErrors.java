package minibatch.distributed.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
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
    public static List<Wrong> top(CachedImages rows, NetworkShape shape, double[] params, int n) {
        List<Wrong[]> parts = rows.images().zipWithIndex().mapPartitions(it -> {
            Backprop pass = new Backprop(shape);
            PriorityQueue<Wrong> best = new PriorityQueue<>(ORDER.reversed()); // the least confident on top
            while (it.hasNext()) {
                Tuple2<LabeledImage, Long> t = it.next();
                LabeledImage image = t._1();
                image.input(pass.input());
                double[] probs = pass.forward(params);
                int predicted = pass.predictedClass();
                if (image.label() >= 0 && predicted != image.label()) {
                    best.add(new Wrong(t._2(), image.label(), predicted, probs[predicted], image.pixels()));
                    if (best.size() > n) {
                        best.poll();
                    }
                }
            }
            return List.<Wrong[]>of(best.toArray(Wrong[]::new)).iterator();
        }).collect();
        List<Wrong> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(Arrays.asList(p)));
        all.sort(ORDER);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }
}
