package minibatch.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import minibatch.nn.Activation;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import minibatch.nn.f32.FloatBatchBackprop;
import minibatch.nn.f32.MixedPrecision;
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
 * JMH: the big network's hidden-to-hidden layer, {@code [rows × 1024]·[1024 × 1024]}, forward and
 * forward + backward, with each {@link LayerKernel}, through {@link BatchBackprop} itself: a
 * 10-1024-1024-10 ReLU network whose middle layer is the one measured (its ReLU inputs are about
 * half zeros; the two 10-wide layers add ~2% of the work). {@code dgemmOnly} is the bare BLAS
 * product of the same shape, the ceiling; {@code forwardBackwardFloat} is the same pass in float32
 * ({@link FloatBatchBackprop}: {@code sgemm}, or the float32 row kernel). Run with
 * {@code ./submit.sh bench-kernels minibatch.bench.kernels.DenseLayerBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DenseLayerBenchmark {
    @Param({"100"})
    public int rows = 100;

    @Param({"DENSE_GEMM", "SPARSE_ROWS"})
    public LayerKernel kernel = LayerKernel.DENSE_GEMM;

    NetworkShape shape;
    double[] params;
    int[] labels;
    double[] grad;
    BatchBackprop pass;
    FloatBatchBackprop floatPass;
    float[] floatParams;
    float[] floatGrad;
    double[] a;
    double[] z;

    @Setup
    public void setUp() {
        shape = new NetworkShape(new int[] {10, 1024, 1024, 10}, Activation.RELU);
        SplittableRandom rng = new SplittableRandom(42);
        params = Initializer.HE.initialize(shape, rng.split());
        pass = new BatchBackprop(shape, new LayerKernel[] {LayerKernel.SPARSE_ROWS, kernel, LayerKernel.SPARSE_ROWS});
        labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rng.nextInt(10);
            for (int i = 0; i < 10; i++) {
                pass.input()[r * 10 + i] = rng.nextDouble();
            }
        }
        grad = new double[shape.parameterCount()];
        floatPass = new FloatBatchBackprop(shape, new LayerKernel[] {LayerKernel.SPARSE_ROWS, kernel, LayerKernel.SPARSE_ROWS});
        floatParams = new float[params.length];
        MixedPrecision.toFloat(params, floatParams);
        floatGrad = new float[shape.parameterCount()];
        for (int i = 0; i < rows * 10; i++) {
            floatPass.input()[i] = (float) pass.input()[i];
        }
        a = new double[rows * 1024];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextBoolean() ? rng.nextDouble() : 0.0;
        }
        z = new double[rows * 1024];
    }

    @Benchmark
    public double forward() {
        return pass.forward(params, rows)[0];
    }

    @Benchmark
    public double forwardBackward() {
        return pass.accumulate(params, labels, rows, grad, 0.0, 0.0, null);
    }

    @Benchmark
    public double forwardBackwardFloat() {
        return floatPass.accumulate(floatParams, labels, rows, floatGrad, 0.0, 0.0, null);
    }

    /** The bare {@code dgemm} of the forward product (the kernel parameter does not apply). */
    @Benchmark
    public double dgemmOnly() {
        BLAS.getInstance().dgemm("N", "N", 1024, rows, 1024, 1.0, params, shape.weightOffset(1), 1024, a, 0, 1024,
                0.0, z, 0, 1024);
        return z[0];
    }
}
