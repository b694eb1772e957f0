package minibatch.bench;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The scheduler floor: one tiny job per step over the same number of partitions, doing nothing;
 * and the same job moving a training step's bytes, to show what shipping them costs.
 */
final class EmptySparkLoop {
    private EmptySparkLoop() {
    }

    static BenchEntry run(JavaSparkContext jsc, int partitions, int steps, int warmup) {
        JavaRDD<Integer> tiny = tiny(jsc, partitions);
        double[] millis = new double[steps];
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            tiny.map(x -> x).collect();
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        return new BenchEntry("c", "empty Spark job per step, same master and partitions (scheduler floor)", "job",
                new Timings(millis, warmup), (System.nanoTime() - start) / 1e9, Double.NaN);
    }

    /**
     * (c) with a step's transfers and no work: a closure holding {@code doubles} fresh values (the
     * weights) and one array of {@code doubles} back from every task (the gradient sums).
     */
    static BenchEntry runWithPayload(JavaSparkContext jsc, int partitions, int steps, int warmup, int doubles) {
        JavaRDD<Integer> tiny = tiny(jsc, partitions);
        SplittableRandom rng = new SplittableRandom(1);
        double[] millis = new double[steps];
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            double[] weights = rng.doubles(doubles).toArray();
            long t0 = System.nanoTime();
            List<double[]> sums = tiny.mapPartitions(it -> {
                double[] out = new double[weights.length];
                out[0] = weights[0];
                return Collections.singletonList(out).iterator();
            }).collect();
            millis[s] = (System.nanoTime() - t0) / 1e6;
            if (sums.size() != partitions) {
                throw new IllegalStateException("expected one array per partition");
            }
        }
        return new BenchEntry("c2", String.format("(c) shipping a step's bytes: %d-double closure, %d-double result per task",
                doubles, doubles), "job", new Timings(millis, warmup), (System.nanoTime() - start) / 1e9, Double.NaN);
    }

    private static JavaRDD<Integer> tiny(JavaSparkContext jsc, int partitions) {
        List<Integer> ids = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return jsc.parallelize(ids, partitions);
    }
}
