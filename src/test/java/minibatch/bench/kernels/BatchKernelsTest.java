package minibatch.bench.kernels;

import minibatch.nn.Backprop;
import minibatch.nn.BatchBackprop;
import minibatch.nn.NetworkShape;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every benchmarked kernel computes the production kernel's loss and gradient sums. */
class BatchKernelsTest {
    @Test
    void allKernelsAgreeWithProduction() {
        KernelBenchmark bench = new KernelBenchmark();
        bench.setUp();
        NetworkShape shape = bench.shape;
        double[] expected = new double[shape.parameterCount()];
        double loss = BatchKernels.production(bench.params, bench.images, expected, new BatchBackprop(shape),
                new int[bench.rows]);

        double[] rowByRow = new double[shape.parameterCount()];
        assertEquals(loss, BatchKernels.rowByRow(bench.params, bench.images, rowByRow, new Backprop(shape)), 0.0);
        assertArrayEquals(expected, rowByRow, 0.0);

        double[] dense = new double[shape.parameterCount()];
        assertEquals(loss, BatchKernels.doubleDense(shape, bench.params, bench.images, dense, bench.doubleBuffers), 1e-9);
        assertClose(expected, dense, 1e-9);

        double[] blas = new double[shape.parameterCount()];
        assertEquals(loss, BatchKernels.blasBatched(shape, bench.params, bench.batch, bench.labels, blas, bench.blasBuffers),
                1e-9);
        assertClose(expected, blas, 1e-9);

        float[] single = new float[shape.parameterCount()];
        assertEquals(loss, BatchKernels.floatSkipZeros(shape, bench.floatParams, bench.images, single, bench.floatBuffers),
                1e-3 * Math.abs(loss));
        double[] widened = new double[single.length];
        for (int i = 0; i < single.length; i++) {
            widened[i] = single[i];
        }
        assertClose(expected, widened, 1e-3);
    }

    private static void assertClose(double[] expected, double[] actual, double relative) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale, "parameter " + i);
        }
    }

}
