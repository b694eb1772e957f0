package minibatch.bench;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** The scheduler floor: one tiny job per step over the same number of partitions, doing nothing. */
final class EmptySparkLoop {
    private EmptySparkLoop() {
    }

    static BenchEntry run(JavaSparkContext jsc, int partitions, int steps, int warmup) {
        List<Integer> ids = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        JavaRDD<Integer> tiny = jsc.parallelize(ids, partitions);
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
}
