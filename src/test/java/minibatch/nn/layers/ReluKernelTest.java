package minibatch.nn.layers;

import java.util.SplittableRandom;
import minibatch.nn.Activation;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD ReLU gives the plain loops' bits (NaN, ±0, ±∞ and the tail included) and what {@code Activation.RELU} gives. */
class ReluKernelTest {
    private static double[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_VALUE};
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : r.nextGaussian();
        }
        return v;
    }

    @Test
    void simdAndPlainLoopsGiveTheSameBitsForEveryLength() {
        assertTrue(minibatch.nn.VectorApi.AVAILABLE, "the tests run with the Vector API, as every Spark JVM does");
        for (int n : new int[] {0, 1, 7, 8, 15, 16, 17, 33, 1001}) {
            double[] in = values(n, n);
            double[] simd = new double[n];
            double[] plain = new double[n];
            SimdReluKernel.forward(in, simd, n);
            ReluKernel.forwardScalar(in, plain, n);
            assertArrayEquals(plain, simd, "forward, n=" + n);
            double[] activation = in.clone();
            Activation.RELU.apply(activation, n);
            assertArrayEquals(activation, simd, "Activation.RELU, n=" + n);

            double[] dOut = values(n, 100 + n);
            double[] dSimd = new double[n];
            double[] dPlain = new double[n];
            SimdReluKernel.backward(simd, dOut, dSimd, n);
            ReluKernel.backwardScalar(simd, dOut, dPlain, 0, n);
            for (int i = 0; i < n; i++) {
                // bit for bit: a signed zero or a NaN's pattern must not differ either
                assertEquals(Double.doubleToRawLongBits(dPlain[i]), Double.doubleToRawLongBits(dSimd[i]), "backward, i=" + i);
                assertEquals(Double.doubleToRawLongBits(dOut[i] * Activation.RELU.derivativeFromOutput(simd[i])),
                        Double.doubleToRawLongBits(dSimd[i]), "the derivative's product, i=" + i);
            }
        }
    }
}
