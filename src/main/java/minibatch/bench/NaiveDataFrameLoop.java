package minibatch.bench;

import java.io.Serializable;
import java.util.SplittableRandom;
import minibatch.config.OptimizerConfig;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Backprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a Spark user writes first: {@code Dataset.sample} of a cached vector DataFrame, a fresh
 * broadcast of the weights, and {@code treeAggregate} of the gradient over {@code javaRDD()} rows,
 * with the same network and the same {@code nn} code. Run once with Spark's default whole-stage
 * codegen (what that user gets: {@code Dataset.sample} puts each step's seed into generated code,
 * so every step compiles a new class) and once with the job's setting (off).
 */
final class NaiveDataFrameLoop {
    private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

    private NaiveDataFrameLoop() {
    }

    /** Aggregation buffer: sums plus a per-partition work object that is not shipped. */
    static final class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        GradientSums sums;
        private transient Backprop pass;

        Buffer(int parameterCount) {
            sums = new GradientSums(parameterCount);
        }

        Buffer add(NetworkShape shape, double[] params, Row row) {
            if (pass == null) {
                pass = new Backprop(shape);
            }
            Vector x = row.getAs(1);
            double[] input = pass.input();
            for (int i = 0; i < input.length; i++) {
                input[i] = x.apply(i);
            }
            double[] g = sums.gradientSum();
            sums = new GradientSums(sums.lossSum() + pass.accumulate(params, (int) row.getDouble(0), g), g, sums.count() + 1);
            return this;
        }

        Buffer merge(Buffer other) {
            sums.merge(other.sums);
            return this;
        }
    }

    /**
     * @param wholeStageCodegen the session's whole-stage codegen setting during the loop (restored
     *                          afterwards): on is entry (d), off (the job's setting) is entry (d1)
     */
    static BenchEntry run(JavaSparkContext jsc, Dataset<Row> vectors, long rows, NetworkShape shape, int batchSize,
                          double learningRate, int steps, int warmup, long seed, boolean wholeStageCodegen) {
        var conf = vectors.sparkSession().conf();
        String before = conf.get(WHOLE_STAGE);
        conf.set(WHOLE_STAGE, wholeStageCodegen);
        long start = System.nanoTime();
        double[] millis;
        try {
            millis = stepMillis(jsc, vectors, rows, shape, batchSize, learningRate, steps, seed);
        } finally {
            conf.set(WHOLE_STAGE, before);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String what = wholeStageCodegen ? "first-try loop: Dataset.sample of a vector column + broadcast + treeAggregate"
                : "(d) with whole-stage codegen off, as this job sets it";
        return new BenchEntry(entryKey(wholeStageCodegen), what, "step", new Timings(millis, warmup), seconds, Double.NaN);
    }

    /** The bench entry a run with this codegen setting reports as: (d) with Spark's default, (d1) without. */
    static String entryKey(boolean wholeStageCodegen) {
        return wholeStageCodegen ? "d" : "d1";
    }

    /** @return {@code [steps]} milliseconds of each step */
    private static double[] stepMillis(JavaSparkContext jsc, Dataset<Row> vectors, long rows, NetworkShape shape,
                                       int batchSize, double learningRate, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = Initializer.STD.initialize(shape, rng.split());
        Optimizer sgd = Optimizers.create(OptimizerConfig.SGD, params.length);
        double fraction = (double) batchSize / rows;
        double[] millis = new double[steps];
        double[] mean = new double[params.length];
        int size = params.length;
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            Broadcast<double[]> weights = jsc.broadcast(params.clone());
            Buffer total = vectors.sample(false, fraction, rng.nextLong()).javaRDD().treeAggregate(new Buffer(size),
                    (buf, row) -> buf.add(shape, weights.value(), row), Buffer::merge);
            long n = total.sums.count();
            if (n > 0) {
                for (int i = 0; i < size; i++) {
                    mean[i] = total.sums.gradientSum()[i] / n;
                }
                sgd.update(params, mean, learningRate);
            }
            weights.destroy();
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        return millis;
    }
}
