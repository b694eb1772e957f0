package minibatch.bench.kernels;

import minibatch.nn.BatchBackprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.f32.FloatBatchBackprop;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 kernel {@link KernelTimes} times computes the float64 production kernel's sums, to float32 precision. */
class FloatKernelsTest {
    @Test
    void theFloat32ProductionKernelAgreesWithTheFloat64One() {
        KernelBenchmark bench = new KernelBenchmark();
        bench.rows = 100;
        bench.setUp();
        NetworkShape shape = bench.shape;
        double[] want = new double[shape.parameterCount()];
        double loss = BatchKernels.production(bench.params, bench.images, want, new BatchBackprop(shape),
                new int[bench.rows]);
        float[] got = new float[shape.parameterCount()];
        double floatLoss = BatchKernels.productionFloat(bench.floatParams, bench.images, got,
                new FloatBatchBackprop(shape), new int[bench.rows]);
        assertEquals(loss, floatLoss, 1e-5 * loss);
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            largest = Math.max(largest, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(largest > 0 && worst <= 1e-5 * largest, worst + " against " + largest);
    }
}
