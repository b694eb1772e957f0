package minibatch.bench;

import java.util.SplittableRandom;
import minibatch.config.OptimizerConfig;
import minibatch.nn.Backprop;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;

/**
 * The compute floor: the same network, the same {@code nn} code and the same Bernoulli
 * mini-batches (fraction batch/rows), in one thread without Spark.
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
            long n = 0;
            int rows = 0;
            for (int r = 0; r < train.labels().length; r++) {
                if (rng.nextDouble() < fraction) {
                    Pixels.scale(train.pixels()[r], pass.input(), rows * shape.inputs());
                    labels[rows++] = train.labels()[r];
                    if (rows == BatchBackprop.MAX_ROWS) {
                        pass.accumulate(params, labels, rows, gradSum, 0.0, 0.0, null);
                        n += rows;
                        rows = 0;
                    }
                }
            }
            pass.accumulate(params, labels, rows, gradSum, 0.0, 0.0, null);
            n += rows;
            if (n > 0) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = gradSum[i] / n;
                }
                sgd.update(params, mean, learningRate);
            }
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new BenchEntry("b", "same nn code, one thread, no Spark (compute floor)", "step",
                new Timings(millis, warmup), wall, accuracy(test, shape, params));
    }

    static double accuracy(DriverData test, NetworkShape shape, double[] params) {
        Backprop pass = new Backprop(shape);
        int right = 0;
        for (int r = 0; r < test.labels().length; r++) {
            Pixels.scale(test.pixels()[r], pass.input());
            pass.forward(params);
            right += pass.predictedClass() == test.labels()[r] ? 1 : 0;
        }
        return (double) right / test.labels().length;
    }
}
