package minibatch.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.cli.TrainCommand;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No leak per step: the driver's used heap after GC, sampled between steps up to twenty times a run (when
 * the evaluation after an epoch prints its line), stays flat after the first fifth of the steps. A per-step leak of
 * this network's weight vector (0.8 MB: a broadcast, task binary or step order never released) would add
 * hundreds of megabytes over these runs.
 */
@ExtendWith(LocalSpark.class)
class HeapStaysFlatTest {
    private static final long MARGIN = 48L << 20;
    /** The evaluation line after every epoch (50 steps here: 1,000 rows, batches of 20) names its step. */
    private static final Pattern STEP = Pattern.compile("^epoch [0-9.]+  step (\\d+) ");

    @TempDir
    Path dir;

    /** A console that records used heap after GC at every {@code every}-th step's evaluation line, keyed by step (on the training thread). */
    static final class HeapSampler extends PrintStream {
        final Map<Long, Long> usedAfterGc = new TreeMap<>();

        private final long every;

        HeapSampler(long every) {
            super(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            this.every = every;
        }

        @Override
        public PrintStream printf(String format, Object... args) {
            sample(String.format(format, args));
            return this;
        }

        @Override
        public PrintStream printf(java.util.Locale locale, String format, Object... args) {
            sample(String.format(locale, format, args));
            return this;
        }

        @Override
        public void println(String line) {
            sample(line);
        }

        private void sample(String line) {
            Matcher m = STEP.matcher(line);
            if (m.find() && Long.parseLong(m.group(1)) % every == 0) {
                System.gc();
                System.gc();
                usedAfterGc.put(Long.parseLong(m.group(1)), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        }
    }

    @ParameterizedTest(name = "--sampler {0}, {1} steps")
    @CsvSource({"dataframe,500", "barrier,2000"})
    void usedHeapAfterGcIsFlat(String path, long steps, SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 1000, 40, 8);
        var config = TrainCommand.parseConfig("--data", data.toString(), "--out", dir.resolve("unused").toString(),
                "--hidden", "128", "--classes", "4", "--batch-size", "20", "--steps", String.valueOf(steps),
                "--partitions", "2", "--sampler", path, "--progress-seconds", "600");
        HeapSampler console = new HeapSampler(steps / 20);
        TrainingFromFiles.train(spark, config, console);
        Map<Long, Long> settled = new TreeMap<>(console.usedAfterGc);
        settled.keySet().removeIf(step -> step < steps / 5); // JIT, caches and the first allocations settle first
        assertTrue(settled.size() >= 7, "samples: " + console.usedAfterGc);
        long min = settled.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = settled.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(max - min < MARGIN, "used heap after GC by step (bytes): " + settled);
        System.out.printf("%s: used heap after GC %d..%d MB over %d samples%n", path, min >> 20, max >> 20, settled.size());
    }
}
