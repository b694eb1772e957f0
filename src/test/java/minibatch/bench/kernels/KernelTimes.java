package minibatch.bench.kernels;

import java.util.Arrays;
import java.util.Locale;
import minibatch.nn.BatchBackprop;
import minibatch.nn.f32.FloatBatchBackprop;

/**
 * Without JMH: the median time per step of the production pass in float64
 * ({@link BatchKernels#production}) and in float32 ({@link BatchKernels#productionFloat}), on one
 * thread, for {@link KernelBenchmark}'s MNIST-like rows through a 784-{@code hidden}-10 sigmoid
 * network. Rounds of {@code steps} steps alternate between the two, so that both see the same
 * machine load; a round's time divided by its steps is one sample. Arguments: {@code hidden}
 * (default 50), {@code rows} (100), {@code rounds} (60), {@code steps} per round (20). Run with
 * {@code --add-modules=jdk.incubator.vector} and the test class path.
 */
public final class KernelTimes {
    private KernelTimes() {
    }

    public static void main(String[] args) {
        KernelBenchmark bench = new KernelBenchmark();
        bench.hidden = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        bench.rows = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        bench.setUp();
        Runnable float64 = () -> BatchKernels.production(bench.params, bench.images, bench.grad, bench.batchPass,
                bench.labels);
        Runnable float32 = () -> BatchKernels.productionFloat(bench.floatParams, bench.images, bench.floatGrad,
                bench.floatBatchPass, bench.labels);
        // warm-up: both compiled by C2 before anything counts
        for (int i = 0; i < 3000; i++) {
            float64.run();
            float32.run();
        }
        double[] ms64 = new double[rounds];
        double[] ms32 = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ms64[r] = msPerStep(float64, steps);
            ms32[r] = msPerStep(float32, steps);
        }
        System.out.printf(Locale.ROOT, "784-%d-10 sigmoid, batch %d, one thread, %d rounds of %d steps (BLAS %s)%n",
                bench.hidden, bench.rows, rounds, steps, BatchBackprop.blasName());
        System.out.printf(Locale.ROOT, "float64 (BatchBackprop):      median %.4f ms/step (min %.4f)%n", median(ms64),
                Arrays.stream(ms64).min().orElseThrow());
        System.out.printf(Locale.ROOT, "float32 (FloatBatchBackprop): median %.4f ms/step (min %.4f)%n", median(ms32),
                Arrays.stream(ms32).min().orElseThrow());
        System.out.printf(Locale.ROOT, "float32 / float64: %.3f%n", median(ms32) / median(ms64));
    }

    private static double msPerStep(Runnable step, int steps) {
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return (System.nanoTime() - start) / 1e6 / steps;
    }

    private static double median(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
