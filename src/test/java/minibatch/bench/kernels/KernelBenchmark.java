package minibatch.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import minibatch.data.LabeledImage;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.f32.FloatBatchBackprop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one task's work per step, a mini-batch of {@code rows} MNIST-like rows (about 19% non-zero
 * pixels, like MNIST) through a 784-{@code hidden}-10 sigmoid network, forward and backward, with
 * each candidate kernel. Run with {@code ./submit.sh bench-kernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class KernelBenchmark {
    @Param({"50"})
    public int hidden = 50;

    @Param({"50"})
    public int rows = 50;

    NetworkShape shape;
    double[] params;
    float[] floatParams;
    LabeledImage[] images;
    double[] batch;
    int[] labels;
    double[][] doubleBuffers;
    float[][] floatBuffers;
    double[][] blasBuffers;
    Backprop pass;
    BatchBackprop batchPass;
    FloatBatchBackprop floatBatchPass;
    double[] grad;
    float[] floatGrad;

    @Setup
    public void setUp() {
        shape = NetworkShape.of(784, new int[] {hidden}, 10, Activation.SIGMOID);
        SplittableRandom rng = new SplittableRandom(42);
        params = Initializer.STD.initialize(shape, rng.split());
        floatParams = new float[params.length];
        for (int i = 0; i < params.length; i++) {
            floatParams[i] = (float) params[i];
        }
        images = new LabeledImage[rows];
        batch = new double[rows * 784];
        labels = new int[rows];
        double[] scaled = new double[784];
        for (int r = 0; r < rows; r++) {
            byte[] px = new byte[784];
            for (int i = 0; i < 784; i++) {
                px[i] = rng.nextInt(100) < 19 ? (byte) rng.nextInt(1, 256) : 0;
            }
            labels[r] = rng.nextInt(10);
            images[r] = new LabeledImage(labels[r], px);
            Pixels.scale(px, scaled);
            System.arraycopy(scaled, 0, batch, r * 784, 784);
        }
        doubleBuffers = new double[][] {new double[784], new double[hidden], new double[10], new double[hidden]};
        floatBuffers = new float[][] {new float[784], new float[hidden], new float[10], new float[hidden]};
        blasBuffers = new double[][] {new double[hidden * rows], new double[10 * rows], new double[hidden * rows]};
        pass = new Backprop(shape);
        batchPass = new BatchBackprop(shape);
        floatBatchPass = new FloatBatchBackprop(shape);
        grad = new double[shape.parameterCount()];
        floatGrad = new float[shape.parameterCount()];
    }

    @Benchmark
    public double productionDoubleSkipZeros() {
        return BatchKernels.production(params, images, grad, batchPass, labels);
    }

    /** The production kernel in float32 ({@link FloatBatchBackprop}): what mixed precision would run. */
    @Benchmark
    public double productionFloatSkipZeros() {
        return BatchKernels.productionFloat(floatParams, images, floatGrad, floatBatchPass, labels);
    }

    /** The production kernel with its SIMD loops switched off (plain loops, which C2 does not vectorize). */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dminibatch.simd=false"})
    public double productionScalarLoop() {
        return BatchKernels.production(params, images, grad, batchPass, labels);
    }

    /** Row by row with one SIMD axpy per non-zero input: the production kernel until 2026-12-06. */
    @Benchmark
    public double rowByRowAxpy() {
        return BatchKernels.rowByRow(params, images, grad, pass);
    }

    @Benchmark
    public double doubleDense() {
        return BatchKernels.doubleDense(shape, params, images, grad, doubleBuffers);
    }

    @Benchmark
    public double floatSkipZeros() {
        return BatchKernels.floatSkipZeros(shape, floatParams, images, floatGrad, floatBuffers);
    }

    @Benchmark
    public double blasBatched() {
        return BatchKernels.blasBatched(shape, params, batch, labels, grad, blasBuffers);
    }
}
