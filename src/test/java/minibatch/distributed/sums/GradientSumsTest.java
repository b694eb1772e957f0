package minibatch.distributed.sums;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient sums travel as runs of +0.0 and other values, and arrive bit for bit as they left. */
class GradientSumsTest {
    private static GradientSums roundTrip(GradientSums sums) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sums);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (GradientSums) in.readObject();
        }
    }

    /** What a task result goes through when a user sets {@code spark.serializer} to Kryo. */
    private static GradientSums kryoRoundTrip(GradientSums sums) {
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        var tag = ClassTag$.MODULE$.<GradientSums>apply(GradientSums.class);
        return kryo.deserialize(kryo.serialize(sums, tag), tag);
    }

    private static void assertSameBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), "entry " + i);
        }
    }

    @Test
    void everyPatternOfZerosAndValuesSurvivesSerializationExactly() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        double[] specials = {-0.0, Double.NaN, Double.MIN_VALUE, -Double.MIN_VALUE, Double.POSITIVE_INFINITY, 1e-300};
        for (int n : new int[] {0, 1, 2, 7, 100, 5000}) {
            for (double zeroShare : new double[] {0.0, 0.4, 0.95, 1.0}) {
                GradientSums sums = new GradientSums(n);
                double[] g = sums.gradientSum();
                for (int i = 0; i < n; i++) {
                    g[i] = rng.nextDouble() < zeroShare ? 0.0
                            : rng.nextInt(10) == 0 ? specials[rng.nextInt(specials.length)] : rng.nextGaussian();
                }
                for (GradientSums back : new GradientSums[] {roundTrip(sums), kryoRoundTrip(sums)}) {
                    assertSameBits(g, back.gradientSum());
                    assertEquals(sums.count(), back.count());
                    assertEquals(Double.doubleToRawLongBits(sums.lossSum()), Double.doubleToRawLongBits(back.lossSum()));
                }
            }
        }
    }

    @Test
    void lossSumAndCountTravelToo() throws Exception {
        var shape = NetworkShape.of(6, new int[] {3}, 2, Activation.SIGMOID);
        double[] params = Initializer.XAVIER.initialize(shape, new SplittableRandom(2));
        var pass = new Backprop(shape);
        double[] g = new double[shape.parameterCount()];
        pass.input()[1] = 0.5;
        pass.input()[4] = 1.0;
        double loss = pass.accumulate(params, 1, g);
        loss += pass.accumulate(params, 0, g);
        GradientSums sums = new GradientSums(loss, g, 2);
        for (GradientSums back : new GradientSums[] {roundTrip(sums), kryoRoundTrip(sums)}) {
            assertEquals(2, back.count());
            assertEquals(Double.doubleToRawLongBits(sums.lossSum()), Double.doubleToRawLongBits(back.lossSum()));
            assertSameBits(sums.gradientSum(), back.gradientSum());
        }
    }

    @Test
    void mostlyZeroSumsAreSmallOnTheWire() throws Exception {
        GradientSums sums = new GradientSums(40_000);
        for (int i = 0; i < 40_000; i += 2) {
            if (i % 1000 < 500) {
                sums.gradientSum()[i] = 1.5;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sums);
        }
        // 10,000 non-zero doubles in isolated runs: well under the 320,000 bytes of the whole array
        assertTrue(bytes.size() < 200_000, "serialized size " + bytes.size());
    }

    /** 200 entries run in one thread; 1,000,003 in chunks on the driver's cores (ParallelChunks). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {200, 1_000_003})
    void theOnePassTotalIsTheMergeChainBitForBitSignedZerosIncluded(int length) {
        SplittableRandom random = new SplittableRandom(5);
        java.util.List<GradientSums> parts = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            double[] g = new double[length];
            for (int i = 0; i < g.length; i++) {
                int kind = random.nextInt(4);
                g[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : random.nextGaussian() * Math.pow(10, random.nextInt(-8, 8));
            }
            parts.add(new GradientSums(random.nextDouble(), g, random.nextInt(1, 100)));
        }
        GradientSums chain = new GradientSums(length);
        for (GradientSums part : parts) {
            chain.merge(part);
        }
        // the fused add-and-divide of a total gives the bits of dividing the added-up chain
        double[] mean = new double[length];
        GradientSums.total(parts).meanInto(mean, 0, length);
        for (int i = 0; i < length; i++) {
            double want = chain.gradientSum()[i] / chain.count();
            if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(mean[i])) {
                assertEquals(want, mean[i], "mean entry " + i);
                org.junit.jupiter.api.Assertions.fail("mean entry " + i + ": the sign of zero differs");
            }
        }
        GradientSums total = GradientSums.total(parts);
        assertEquals(Double.doubleToRawLongBits(chain.lossSum()), Double.doubleToRawLongBits(total.lossSum()));
        assertEquals(chain.count(), total.count());
        for (int i = 0; i < length; i++) {
            if (Double.doubleToRawLongBits(chain.gradientSum()[i]) != Double.doubleToRawLongBits(total.gradientSum()[i])) {
                assertEquals(chain.gradientSum()[i], total.gradientSum()[i], "entry " + i);
                org.junit.jupiter.api.Assertions.fail("entry " + i + ": the sign of zero differs");
            }
        }
    }
}
