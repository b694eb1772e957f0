package minibatch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

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
                    new GradientSums(3.5, params.clone(), 40), 123L, "JNIBLAS").toWire();
            assertEquals(spark(report), WireBytes.of(report), "report of " + length);
            Object[] first = new StepReport(new int[] {1}, 1, 0, new long[] {8}, "x", -1, null, 0L, null).toWire();
            assertEquals(spark(first), WireBytes.of(first), "first report");
        }
        assertEquals(spark(StepOrder.STOP.toWire()), WireBytes.of(StepOrder.STOP.toWire()), "STOP");
    }
}
