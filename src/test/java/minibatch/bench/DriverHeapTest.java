package minibatch.bench;

import minibatch.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LocalSpark.class)
class DriverHeapTest {

    @Test
    void unreachableBroadcastsDoNotCount(SparkSession spark) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        double before = DriverHeap.usedAfterGcMb();
        // like every step's task binary: broadcast, used, dropped; their blocks stay in the block
        // manager until the ContextCleaner runs after a collection (value + serialized piece: ~200 MB)
        for (int i = 0; i < 100; i++) {
            jsc.broadcast(new byte[1 << 20]).value();
        }
        double after = DriverHeap.usedAfterGcMb();
        assertTrue(after - before < 50, "heap grew from " + before + " to " + after + " MB");
    }
}
