package minibatch.nn;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD inner loop gives exactly the plain loop's numbers, for every length and offset. */
class AxpyTest {
    @Test
    void theTestJvmHasTheVectorApiSoTheSimdPathIsTheOneTested() {
        assertTrue(VectorApi.AVAILABLE, "Surefire's argLine passes --add-modules=jdk.incubator.vector");
    }

    @Test
    void simdAndPlainLoopAreBitIdentical() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[] {0, 1, 7, 8, 9, 10, 15, 16, 17, 50, 64, 127, 128, 256, 300}) {
            for (int xOff : new int[] {0, 3}) {
                for (int yOff : new int[] {0, 5}) {
                    double a = rng.nextDouble(-3, 3);
                    double[] x = rng.doubles(n + xOff, -1e3, 1e3).toArray();
                    double[] y = rng.doubles(n + yOff + 2, -1e3, 1e3).toArray();
                    double[] plain = y.clone();
                    double[] simd = y.clone();
                    Axpy.scalar(a, x, xOff, plain, yOff, n);
                    SimdAxpy.axpy(a, x, xOff, simd, yOff, n);
                    assertArrayEquals(plain, simd, 0.0, "n=" + n + " xOff=" + xOff + " yOff=" + yOff);
                }
            }
        }
    }
}
