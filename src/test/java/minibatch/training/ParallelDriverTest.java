package minibatch.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.config.OptimizerConfig.Kind;
import minibatch.config.OptimizerConfig;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.ParallelChunks;
import minibatch.training.update.MeanGradient;
import minibatch.training.update.Optimizer;
import minibatch.training.update.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's update of a large network (784-1024-1024-10, 1,863,690 parameters) runs in chunks on
 * the driver's cores: every optimizer, and the mean gradient, give bit for bit what one loop over
 * the vector (written out here from the textbook formulas) gives.
 */
class ParallelDriverTest {
    private static final NetworkShape BIG = NetworkShape.of(784, new int[] {1024, 1024}, 10, Activation.RELU);
    private static final int N = BIG.parameterCount();
    private static final OptimizerConfig CONFIG = new OptimizerConfig(Kind.SGD, 0.9, 0.99, 0.9, 0.999, 1e-7);

    private static OptimizerConfig config(Kind kind) {
        return new OptimizerConfig(kind, CONFIG.momentum(), CONFIG.rho(), CONFIG.beta1(), CONFIG.beta2(), CONFIG.epsilon());
    }

    private static double[] vector(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 2));
        }
        return v;
    }

    @Test
    void theChunksCoverTheVectorOnceFromMultiplesOfTheChunk() {
        List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
        ParallelChunks.forEach(N, (from, to) -> ranges.add(new int[] {from, to}));
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        int next = 0;
        for (int[] r : ranges) {
            assertEquals(next, r[0]);
            assertEquals(0, r[0] % ParallelChunks.CHUNK);
            assertTrue(r[1] > r[0]);
            next = r[1];
        }
        assertEquals(N, next);
        assertEquals(Math.min(ParallelChunks.threads(), (N + ParallelChunks.CHUNK - 1) / ParallelChunks.CHUNK), ranges.size());
        List<int[]> small = new ArrayList<>();
        ParallelChunks.forEach(39_760, (from, to) -> small.add(new int[] {from, to}));
        assertEquals(1, small.size(), "the textbook network stays in one thread");
    }

    /** Three updates with the library's optimizer against one loop of the same formula. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyOptimizerGivesTheSerialLoopsBits(Kind kind) {
        OptimizerConfig c = config(kind);
        Optimizer parallel = Optimizers.create(c, N);
        double[] w = vector(1);
        double[] expected = w.clone();
        double[] s1 = new double[N];
        double[] s2 = new double[N];
        double lr = 0.01;
        for (int t = 1; t <= 3; t++) {
            double[] g = vector(10 + t);
            parallel.update(w, g, lr);
            double lrT = lr * Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
            for (int i = 0; i < N; i++) {
                switch (kind) {
                    case SGD -> expected[i] -= lr * g[i];
                    case MOMENTUM -> {
                        s1[i] = c.momentum() * s1[i] - lr * g[i];
                        expected[i] += s1[i];
                    }
                    case NESTEROV -> {
                        s1[i] = c.momentum() * s1[i] - lr * g[i];
                        expected[i] += c.momentum() * s1[i] - lr * g[i];
                    }
                    case ADAGRAD -> {
                        s1[i] += g[i] * g[i];
                        expected[i] -= lr * g[i] / (Math.sqrt(s1[i]) + c.epsilon());
                    }
                    case RMSPROP -> {
                        s1[i] = c.rho() * s1[i] + (1 - c.rho()) * g[i] * g[i];
                        expected[i] -= lr * g[i] / (Math.sqrt(s1[i]) + c.epsilon());
                    }
                    case ADAM -> {
                        s1[i] += (1 - c.beta1()) * (g[i] - s1[i]);
                        s2[i] += (1 - c.beta2()) * (g[i] * g[i] - s2[i]);
                        expected[i] -= lrT * s1[i] / (Math.sqrt(s2[i]) + c.epsilon());
                    }
                }
            }
        }
        for (int i = 0; i < N; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(w[i])) {
                assertEquals(expected[i], w[i], 0.0, kind + " entry " + i);
            }
        }
    }

    @Test
    void theMeanGradientIsTheSerialLoopsAndFindsANonFiniteEntryInALateChunk() {
        double[] params = vector(2);
        for (int i = 0; i < N; i++) {
            params[i] *= 1e-3;
        }
        double[] g = new double[N];
        double loss = 0.0;
        Backprop pass = new Backprop(BIG);
        SplittableRandom rng = new SplittableRandom(3);
        for (int r = 0; r < 37; r++) {
            for (int i = 0; i < 784; i++) {
                pass.input()[i] = rng.nextDouble() < 0.2 ? rng.nextDouble() : 0.0;
            }
            loss += pass.accumulate(params, r % 10, g);
        }
        GradientSums sums = new GradientSums(loss, g, 37);
        double[] out = new double[N];
        assertTrue(MeanGradient.update(sums, params, BIG, 1e-4, out, (weights, m, from, to) -> { }));
        for (int i = 0; i < N; i++) {
            double expected = sums.gradientSum()[i] / 37;
            if (isWeight(i)) {
                expected += 1e-4 * params[i];
            }
            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(out[i])) {
                assertEquals(expected, out[i], 0.0, "entry " + i);
            }
        }
        sums.gradientSum()[N - 5] = Double.NaN;
        assertFalse(MeanGradient.update(sums, params, BIG, 1e-4, out, (weights, m, from, to) -> { }));
    }

    /**
     * The driver's step as it runs, the mean handed to the optimizer chunk by chunk over the
     * unadded arrays of three tasks, against the mean written out whole and then the optimizer
     * over it: the same bits, for every optimizer, with weight decay, over three steps.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void theFusedMeanAndUpdateGiveTheTwoPassBits(Kind kind) {
        OptimizerConfig c = config(kind);
        Optimizer fused = Optimizers.create(c, N);
        Optimizer twoPass = Optimizers.create(c, N);
        double[] w = vector(4);
        double[] expected = w.clone();
        double[] scratch = new double[N];
        double[] mean = new double[N];
        for (int t = 1; t <= 3; t++) {
            List<GradientSums> parts = List.of(new GradientSums(1.5, vector(20 + t), 30),
                    new GradientSums(2.5, vector(30 + t), 40), new GradientSums(0.5, vector(40 + t), 30));
            GradientSums total = GradientSums.total(parts); // as the driver holds a local executor's report
            double lr = 0.01 / t;
            assertTrue(MeanGradient.update(total, w, BIG, 1e-4, scratch, fused.step(lr)));
            GradientSums added = new GradientSums(0.0, total.gradientSum().clone(), total.count());
            assertTrue(MeanGradient.update(added, expected, BIG, 1e-4, mean, (weights, m, from, to) -> { }));
            twoPass.update(expected, mean, lr);
        }
        for (int i = 0; i < N; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(w[i])) {
                assertEquals(expected[i], w[i], 0.0, kind + " entry " + i);
            }
        }
        double[] g = vector(50);
        g[N - 5] = Double.POSITIVE_INFINITY;
        double[] before = w.clone();
        assertFalse(MeanGradient.update(new GradientSums(0.0, g, 10), w, BIG, 0.0, scratch, fused.step(0.01)));
        int last = (N - 5) / ParallelChunks.CHUNK * ParallelChunks.CHUNK;
        for (int i = last; i < N; i++) {
            assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(w[i]),
                    "the chunk with the infinite entry stays as it was");
        }
    }

    private static boolean isWeight(int i) {
        for (int l = 0; l < BIG.layers(); l++) {
            if (i >= BIG.weightOffset(l) && i < BIG.biasOffset(l)) {
                return true;
            }
        }
        return false;
    }
}
