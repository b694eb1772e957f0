package minibatch.distributed.sampling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.data.cache.FrameLayout;
import minibatch.data.idx.MnistFiles;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every step draws a new sample; no (step, partition) pair reuses another's Bernoulli stream. */
@ExtendWith(LocalSpark.class)
class MiniBatchSamplerTest {
    private static final int ROWS = 400;
    private static final int PARTITIONS = 2;

    @TempDir
    Path dir;

    /** Images whose first two pixels hold the row index, so a sampled row says where it came from. */
    private static ImageSet numberedRows() {
        byte[] pixels = new byte[ROWS * 4];
        byte[] labels = new byte[ROWS];
        for (int r = 0; r < ROWS; r++) {
            pixels[r * 4] = (byte) (r >> 8);
            pixels[r * 4 + 1] = (byte) r;
        }
        return new ImageSet(2, 2, pixels, labels);
    }

    private static List<Integer> sampledIds(Dataset<Row> sample) {
        List<Integer> out = new ArrayList<>();
        for (Row row : sample.collectAsList()) {
            LabeledImage r = FrameLayout.PIXELS.decode(row);
            out.add(((r.pixels()[0] & 0xff) << 8) | (r.pixels()[1] & 0xff));
        }
        return out;
    }

    private static StepSeeds seeds(long seed) {
        return new StepSeeds(new SplittableRandom(seed), null);
    }

    @Test
    void withReplacementRowsCanRepeat(SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, numberedRows(), numberedRows(), false);
        CachedImages frame = CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 10),
                PARTITIONS, "test");
        try {
            // expected count per row 1.5: many rows appear twice or more in one Poisson sample
            MiniBatchSampler poisson = new MiniBatchSampler(frame, 600, true, seeds(1));
            assertEquals(1.5, poisson.fraction(), 1e-15);
            List<Integer> ids = sampledIds(poisson.sample(1));
            assertTrue(ids.size() > new HashSet<>(ids).size() + 100, "repeats: " + (ids.size() - new HashSet<>(ids).size()));
            MiniBatchSampler bernoulli = new MiniBatchSampler(frame, 600, false, seeds(1));
            assertEquals(1.0, bernoulli.fraction());
            List<Integer> all = sampledIds(bernoulli.sample(1));
            assertEquals(ROWS, all.size());
            assertEquals(ROWS, new HashSet<>(all).size());
        } finally {
            frame.release();
        }
    }

    @Test
    void eachStepAndPartitionDrawsADifferentSample(SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, numberedRows(), numberedRows(), false);
        CachedImages frame = CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 10),
                PARTITIONS, "test");
        try {
            MiniBatchSampler sampler = new MiniBatchSampler(frame, 40, false, seeds(1));
            assertEquals(0.1, sampler.fraction(), 1e-15);
            int steps = 25;
            Set<Long> seedsPlusPartition = new HashSet<>();
            // positions within a partition: equal Bernoulli streams would select equal positions
            List<Set<Integer>> positionSets = new ArrayList<>();
            Set<Set<Integer>> stepSamples = new HashSet<>();
            long total = 0;
            for (int t = 1; t <= steps; t++) {
                long seed = sampler.seeds().sample(t);
                for (int p = 0; p < PARTITIONS; p++) {
                    assertTrue(seedsPlusPartition.add(seed + p), "seed " + seed + "+" + p + " reused");
                }
                List<Integer> ids = sampledIds(sampler.sample(t));
                total += ids.size();
                Set<Integer> step = new TreeSet<>(ids);
                assertTrue(stepSamples.add(step), "step " + t + " repeated an earlier sample");
                Set<Integer> p0 = new TreeSet<>();
                Set<Integer> p1 = new TreeSet<>();
                int half = ROWS / PARTITIONS;
                for (int id : ids) {
                    (id < half ? p0 : p1).add(id % half);
                }
                positionSets.add(p0);
                positionSets.add(p1);
            }
            assertEquals(positionSets.size(), new HashSet<>(positionSets).size(),
                    "two (step, partition) pairs selected the same positions");
            double mean = (double) total / steps;
            assertTrue(mean > 30 && mean < 50, "mean batch " + mean + " far from 40");
            // the same seed gives the same sample (what makes retried tasks and reruns exact)
            assertEquals(sampledIds(sampler.sample(steps)), sampledIds(sampler.sample(steps)));
            assertNotEquals(0, total);
        } finally {
            frame.release();
        }
    }
}
