package minibatch.bench;

import java.util.SplittableRandom;
import minibatch.config.OptimizerConfig;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.training.update.MeanGradient;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;

/**
 * The compute floor: the same network, the same {@code nn} code, the same Bernoulli mini-batches
 * (fraction batch/rows) and the driver's division and update ({@link MeanGradient#update}), in one
 * thread without Spark.
 */
final class SingleThreadLoop {
    private SingleThreadLoop() {
    }

    static BenchEntry run(DriverData train, DriverData test, NetworkShape shape, int batchSize, double learningRate,
                          int steps, int warmup, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = Initializer.STD.initialize(shape, rng.split());
        Optimizer sgd = Optimizers.create(OptimizerConfig.SGD, params.length);
        BatchBackprop pass = new BatchBackprop(shape);
        int[] labels = new int[BatchBackprop.MAX_ROWS];
        double[] gradSum = new double[params.length];
        double[] mean = new double[params.length];
        double fraction = (double) batchSize / train.labels().length;
        double[] millis = new double[steps];
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            java.util.Arrays.fill(gradSum, 0.0);
            double lossSum = 0.0;
            long n = 0;
            int rows = 0;
            for (int r = 0; r < train.labels().length; r++) {
                if (rng.nextDouble() < fraction) {
                    Pixels.scale(train.pixels()[r], pass.input(), rows * shape.inputs());
                    labels[rows++] = train.labels()[r];
                    if (rows == BatchBackprop.MAX_ROWS) {
                        lossSum = pass.accumulate(params, labels, rows, gradSum, lossSum, 0.0, null);
                        n += rows;
                        rows = 0;
                    }
                }
            }
            lossSum = pass.accumulate(params, labels, rows, gradSum, lossSum, 0.0, null);
            n += rows;
            if (n > 0) {
                MeanGradient.update(new GradientSums(lossSum, gradSum, n), params, shape, 0.0, mean,
                        sgd.step(learningRate));
            }
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new BenchEntry("b", "same nn code, one thread, no Spark (compute floor)", "step",
                new Timings(millis, warmup), wall, accuracy(test, shape, params));
    }

    /** The share of {@code test}'s rows whose most probable class is their label. */
    static double accuracy(DriverData test, NetworkShape shape, double[] params) {
        BatchBackprop pass = new BatchBackprop(shape);
        int right = 0;
        int total = test.labels().length;
        for (int from = 0; from < total; from += BatchBackprop.MAX_ROWS) {
            int rows = Math.min(BatchBackprop.MAX_ROWS, total - from);
            for (int r = 0; r < rows; r++) {
                Pixels.scale(test.pixels()[from + r], pass.input(), r * shape.inputs());
            }
            pass.forward(params, rows);
            for (int r = 0; r < rows; r++) {
                right += pass.predictedClass(r) == test.labels()[from + r] ? 1 : 0;
            }
        }
        return (double) right / total;
    }
}
