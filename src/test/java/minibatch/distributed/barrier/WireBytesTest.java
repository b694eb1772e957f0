package minibatch.distributed.barrier;

import minibatch.distributed.sums.GradientSums;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The driver's byte count is what Spark's Java serializer (the RPC's) makes of the messages. */
class WireBytesTest {
    private static long spark(Object[] wire) {
        return new JavaSerializer(new SparkConf()).newInstance().serialize(wire, ClassTag$.MODULE$.apply(Object[].class))
                .remaining();
    }

    @Test
    void countsOrdersAndReportsAsSparksSerializerWritesThem() {
        for (int length : new int[] {0, 7, 39_760, 1_863_690}) {
            double[] params = new double[length];
            java.util.Arrays.fill(params, 0.25);
            Object[] order = new StepOrder(12, 34L, new long[] {1, 2, 3, 4}, 5L, params, 6000L).toWire();
            assertEquals(spark(order), WireBytes.of(order), "order of " + length);
            assertEquals(spark(order), WireBytes.of(order), "order of " + length + ", known shape");
            Object[] report = new StepReport(new int[] {0, 2}, 1, 0, new long[] {8, 9}, "executor-7", 12,
                    new GradientSums(3.5, params.clone(), 40), 123L).toWire();
            assertEquals(spark(report), WireBytes.of(report), "report of " + length);
            Object[] first = new StepReport(new int[] {1}, 1, 0, new long[] {8}, "x", -1, null, 0L).toWire();
            assertEquals(spark(first), WireBytes.of(first), "first report");
            Object[] blas = new BlasReport("executor-7", "JNIBLAS").toWire();
            assertEquals(spark(blas), WireBytes.of(blas), "an executor's BLAS");
        }
        assertEquals(spark(StepOrder.STOP.toWire()), WireBytes.of(StepOrder.STOP.toWire()), "STOP");
    }

    /**
     * In {@code local} mode the leading task hands the driver its group's arrays unadded; counted,
     * the report weighs what the one added-up array weighs when an executor in another JVM sends it.
     */
    @Test
    void aReportFromTheDriversJvmCarriesItsTasksArraysAndIsCountedAsTheirTotal() {
        double[] a = {1.0, -0.0, 2.5, 0.0};
        double[] b = {0.5, -0.0, -2.5, 3.0};
        GradientSums group = GradientSums.total(java.util.List.of(new GradientSums(1.0, a, 2), new GradientSums(2.0, b, 3)));
        Object[] local = new StepReport(new int[] {0, 1}, 1, 0, new long[] {8, 9}, StepReport.DRIVER, 12, group, 5L)
                .toWire();
        assertArrayEquals(new double[][] {a, b}, (double[][]) local[8]);
        Object[] remote = new StepReport(new int[] {0, 1}, 1, 0, new long[] {8, 9}, "executor-7", 12, group, 5L)
                .toWire();
        assertArrayEquals(new double[] {1.5, 0.0, 0.0, 3.0}, (double[]) remote[8]);
        Object[] sameLength = new StepReport(new int[] {0, 1}, 1, 0, new long[] {8, 9}, StepReport.DRIVER, 12,
                new GradientSums(3.0, new double[4], 5), 5L).toWire();
        assertEquals(spark(sameLength), WireBytes.of(local));
        assertEquals(spark(remote) - "executor-7".length() + StepReport.DRIVER.length(), WireBytes.of(local));
        GradientSums back = StepReport.fromWire(local).sums();
        double[] mean = new double[4];
        back.meanInto(mean, 0, 4);
        assertArrayEquals(new double[] {0.3, 0.0, 0.0, 0.6}, mean);
        assertEquals(5, back.count());
        assertEquals(3.0, back.lossSum());
    }
}
