package minibatch.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.io.PrintStream;
import java.util.Map;
import java.util.SplittableRandom;
import minibatch.config.TrainingConfig;
import minibatch.distributed.profile.StepProfile.Phase;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.training.StepRecord;
import minibatch.training.TrainingFromFiles;
import minibatch.training.TrainingResult;
import minibatch.training.checkpoint.Checkpointing;
import minibatch.training.update.MeanGradient;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;
import org.apache.spark.sql.SparkSession;

/**
 * The large network's entries: (h) its training step on the default path, profiled; (hb) the same
 * step's work in one thread without Spark, with the same kernels and optimizer (its compute floor);
 * and the kernel's speed against the bare {@code dgemm} of the same shapes.
 */
final class LargeNetwork {
    /** Rows of one task's share of a 100-row batch on 2 partitions. */
    private static final int TASK_ROWS = 50;

    private LargeNetwork() {
    }

    /** (h), with the driver's share of its steps in {@code extras}. */
    static BenchEntry h(SparkSession spark, TrainingConfig config, int warmup, Map<String, Object> extras,
                        PrintStream console) {
        TrainingResult h = TrainingFromFiles.train(spark, config, console, true, Checkpointing.NONE);
        double[] ms = h.steps().stream().mapToDouble(StepRecord::stepMillis).toArray();
        Map<String, Double> p = h.profile();
        double stepsTotal = java.util.Arrays.stream(ms).sum();
        // the driver's exchange includes the tasks, which run in parallel: what is left after one
        // task's mean time is the driver sending weights and receiving sums (and waiting on the slowest)
        double tasks = p.getOrDefault(StepProfile.BARRIER_TASKS, 0.0) / h.partitions();
        double transfer = Math.max(0, p.getOrDefault(StepProfile.key(Phase.BARRIER_EXCHANGE), 0.0) - tasks);
        double own = p.getOrDefault(StepProfile.key(Phase.SAMPLE_AND_CLOSURE), 0.0)
                + p.getOrDefault(StepProfile.key(Phase.MERGE), 0.0) + p.getOrDefault(StepProfile.key(Phase.UPDATE), 0.0)
                + transfer;
        extras.put("h_profile_ms_per_step", perStep(p, ms.length));
        extras.put("h_driver_traffic_per_step", traffic(p));
        extras.put("h_driver_ms_per_step", own / ms.length);
        extras.put("h_driver_share", own / stepsTotal);
        extras.put("h_kernels", LayerKernel.describe((NetworkShape) h.shape()));
        return new BenchEntry("h", "784-1024-1024-10 relu/he/adam step, default path, batch 100", "step",
                new Timings(ms, warmup), h.trainingSeconds(), h.last().testAccuracy());
    }

    /** The profile's phases (totals in milliseconds) per step. */
    private static Map<String, Double> perStep(Map<String, Double> profile, int steps) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        profile.forEach((k, v) -> {
            if (!StepProfile.isTraffic(k)) {
                m.put(k, v / steps);
            }
        });
        return m;
    }

    /** The profile's driver traffic (already per step). */
    private static Map<String, Double> traffic(Map<String, Double> profile) {
        Map<String, Double> m = new java.util.LinkedHashMap<>(profile);
        m.keySet().removeIf(k -> !StepProfile.isTraffic(k));
        return m;
    }

    /**
     * (hb): each step samples ~batch rows (Bernoulli), runs them through {@link BatchBackprop} and
     * updates with Adam as the driver does ({@link MeanGradient#update}).
     */
    static BenchEntry hb(DriverData train, TrainingConfig config, int steps, int warmup) {
        int inputs = train.pixels()[0].length;
        NetworkShape shape = NetworkShape.of(inputs, config.hidden(), 10, config.activation());
        SplittableRandom rng = new SplittableRandom(config.seed());
        double[] params = config.initializer().initialize(shape, rng.split());
        Optimizer adam = Optimizers.create(config.optimizer(), params.length);
        BatchBackprop pass = new BatchBackprop(shape);
        double[] gradSum = new double[params.length];
        double[] mean = new double[params.length];
        int[] labels = new int[BatchBackprop.MAX_ROWS];
        double fraction = (double) config.batchSize() / train.labels().length;
        double[] millis = new double[steps];
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            java.util.Arrays.fill(gradSum, 0.0);
            int n = 0;
            for (int r = 0; r < train.labels().length && n < BatchBackprop.MAX_ROWS; r++) {
                if (rng.nextDouble() < fraction) {
                    Pixels.scale(train.pixels()[r], pass.input(), n * inputs);
                    labels[n++] = train.labels()[r];
                }
            }
            if (n > 0) {
                double lossSum = pass.accumulate(params, labels, n, gradSum, 0.0, 0.0, null);
                MeanGradient.update(new GradientSums(lossSum, gradSum, n), params, shape, config.weightDecay(), mean,
                        adam.step(config.learningRate()));
            }
            millis[s] = (System.nanoTime() - t0) / 1e6;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new BenchEntry("hb", "(h)'s work in one thread, no Spark, same kernels (compute floor)", "step",
                new Timings(millis, warmup), wall, Double.NaN);
    }

    /**
     * Our forward + backward of the big network's hidden layer ({@code [50 × 1024]·[1024 × 1024]},
     * one task's rows) in GFLOP/s over the bare {@code dgemm}s of the same three products, timed in
     * turns in this JVM: {@code kernel_over_dgemm} and the GFLOP/s of each, and the BLAS's name.
     */
    static void kernelOverDgemm(Map<String, Object> extras, Map<String, Double> ratios) {
        NetworkShape shape = new NetworkShape(new int[] {10, 1024, 1024, 10}, Activation.RELU);
        SplittableRandom rng = new SplittableRandom(7);
        double[] params = Initializer.HE.initialize(shape, rng.split());
        BatchBackprop pass = new BatchBackprop(shape);
        int[] labels = new int[TASK_ROWS];
        for (int r = 0; r < TASK_ROWS; r++) {
            labels[r] = rng.nextInt(10);
            for (int i = 0; i < 10; i++) {
                pass.input()[r * 10 + i] = rng.nextDouble();
            }
        }
        double[] grad = new double[shape.parameterCount()];
        double[] a = new double[TASK_ROWS * 1024];
        double[] d = new double[TASK_ROWS * 1024];
        double[] out = new double[TASK_ROWS * 1024];
        double[] g = new double[1024 * 1024];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextBoolean() ? rng.nextDouble() : 0.0;
            d[i] = rng.nextGaussian();
        }
        BLAS blas = BLAS.getInstance();
        int w = shape.weightOffset(1);
        Runnable ours = () -> pass.accumulate(params, labels, TASK_ROWS, grad, 0.0, 0.0, null);
        Runnable bare = () -> {
            blas.dgemm("N", "N", 1024, TASK_ROWS, 1024, 1.0, params, w, 1024, a, 0, 1024, 0.0, out, 0, 1024);
            blas.dgemm("N", "T", 1024, 1024, TASK_ROWS, 1.0, d, 0, 1024, a, 0, 1024, 1.0, g, 0, 1024);
            blas.dgemm("T", "N", 1024, TASK_ROWS, 1024, 1.0, params, w, 1024, d, 0, 1024, 0.0, out, 0, 1024);
        };
        double flops = 3 * 2.0 * TASK_ROWS * 1024 * 1024; // the three products; the 10-wide layers not counted
        double[] oursMs = new double[7];
        double[] bareMs = new double[7];
        for (int round = 0; round < 7 + 3; round++) { // 3 rounds of warm-up
            double o = time(ours);
            double b = time(bare);
            if (round >= 3) {
                oursMs[round - 3] = o;
                bareMs[round - 3] = b;
            }
        }
        double oursGflops = flops / median(oursMs) / 1e6;
        double bareGflops = flops / median(bareMs) / 1e6;
        extras.put("blas", blas.getClass().getSimpleName());
        extras.put("kernel_gflops", oursGflops);
        extras.put("dgemm_gflops", bareGflops);
        ratios.put("kernel_over_dgemm", oursGflops / bareGflops);
    }

    /** Milliseconds per run, over 20 runs. */
    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / 20;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
