package minibatch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import minibatch.cli.TrainCommand;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No leak per step: over 5,000 steps the driver's used heap after GC, sampled every 500 steps,
 * stays flat. A per-step leak of the 70 KB weight vector (a broadcast or task binary never
 * cleaned) would add ~300 MB.
 */
@ExtendWith(LocalSpark.class)
class HeapStaysFlatTest {
    private static final long MARGIN = 48L << 20;

    @TempDir
    Path dir;

    /** Samples used heap after GC when the job of every 500th step starts (on the listener thread). */
    static final class HeapSampler extends SparkListener {
        final Map<Long, Long> usedAfterGc = new ConcurrentSkipListMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
            if (d != null && d.startsWith("train step ")) {
                long step = Long.parseLong(d.substring("train step ".length(), d.indexOf('/')));
                if (step % 500 == 0) {
                    System.gc();
                    System.gc();
                    usedAfterGc.put(step, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
            }
        }
    }

    @Test
    void usedHeapAfterGcIsFlatOver5000Steps(SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 400, 40, 8);
        var config = TrainCommand.parseConfig("--data", data.toString(), "--out", dir.resolve("unused").toString(),
                "--hidden", "128", "--classes", "4", "--batch-size", "20", "--steps", "5000", "--partitions", "2",
                "--progress-seconds", "600");
        HeapSampler sampler = new HeapSampler();
        spark.sparkContext().addSparkListener(sampler);
        try {
            TrainingJob.train(spark, config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } finally {
            spark.sparkContext().removeSparkListener(sampler);
        }
        Map<Long, Long> after1000 = new TreeMap<>(sampler.usedAfterGc);
        after1000.keySet().removeIf(step -> step < 1000); // JIT, caches and the first allocations settle first
        assertTrue(after1000.size() >= 7, "samples: " + sampler.usedAfterGc);
        long min = after1000.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = after1000.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(max - min < MARGIN, "used heap after GC by step (bytes): " + after1000);
        assertEquals(0, after1000.keySet().stream().filter(s -> s % 500 != 0).count());
    }
}
