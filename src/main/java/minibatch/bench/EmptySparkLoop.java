package minibatch.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import minibatch.distributed.jobs.PartitionJob;
import minibatch.distributed.sums.PartitionFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The scheduler floor: one tiny job per step over the same number of partitions, doing nothing,
 * run the way a training step runs its job ({@link PartitionJob}); the same through the usual
 * {@code map(...).collect()}; and the floor job moving a training step's bytes.
 */
final class EmptySparkLoop {
    private EmptySparkLoop() {
    }

    /** (c): the floor, through {@link PartitionJob} like (a). */
    static BenchEntry run(JavaSparkContext jsc, int partitions, int steps, int warmup) {
        JavaRDD<Integer> tiny = tiny(jsc, partitions);
        PartitionFunction<Integer, Integer> first = (partition, rows) -> rows.next();
        return time("c", "empty Spark job per step, same master and partitions (scheduler floor)", steps, warmup,
                () -> check(PartitionJob.run(tiny.rdd(), first), partitions));
    }

    /** (c0): the same empty job through {@code map(x -> x).collect()}, whose closure Spark cleans on every call. */
    static BenchEntry runUsualApi(JavaSparkContext jsc, int partitions, int steps, int warmup) {
        JavaRDD<Integer> tiny = tiny(jsc, partitions);
        return time("c0", "(c) written as map(x -> x).collect(): the closure is cleaned on every call", steps, warmup,
                () -> check(tiny.map(x -> x).collect(), partitions));
    }

    /**
     * (c2): (c) with a step's transfers and no work: a function holding {@code doubles} values
     * (the weights) and one array of {@code doubles} back from every task (the gradient sums).
     */
    static BenchEntry runWithPayload(JavaSparkContext jsc, int partitions, int steps, int warmup, int doubles) {
        JavaRDD<Integer> tiny = tiny(jsc, partitions);
        // Random values, so the bytes compress no better than weights; drawn once, outside the timing,
        // and changed in place every step as the optimizer changes the weights.
        double[] weights = new SplittableRandom(1).doubles(doubles).toArray();
        return time("c2", String.format("(c) shipping a step's bytes: %d-double closure, %d-double result per task",
                doubles, doubles), steps, warmup, () -> {
                    weights[0] += 1.0;
                    PartitionFunction<Integer, double[]> echo = (partition, rows) -> {
                        double[] out = new double[weights.length];
                        out[0] = weights[0];
                        return out;
                    };
                    check(PartitionJob.run(tiny.rdd(), echo), partitions);
                });
    }

    private static BenchEntry time(String key, String description, int steps, int warmup, Runnable job) {
        double[] millis = new double[steps];
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            job.run();
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        return new BenchEntry(key, description, "job", new Timings(millis, warmup), (System.nanoTime() - start) / 1e9,
                Double.NaN);
    }

    private static void check(List<?> results, int partitions) {
        if (results.size() != partitions) {
            throw new IllegalStateException("expected one result per partition, got " + results.size());
        }
    }

    private static JavaRDD<Integer> tiny(JavaSparkContext jsc, int partitions) {
        List<Integer> ids = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return jsc.parallelize(ids, partitions);
    }
}
