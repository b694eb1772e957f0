package minibatch.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import minibatch.data.CachedImages;
import minibatch.data.ImageCache;
import minibatch.data.LabeledImage;
import minibatch.data.MnistFiles;
import minibatch.data.SamplingPath;
import minibatch.testing.IdxFixtures;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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

    private static List<Integer> sampledIds(JavaRDD<LabeledImage> sample) {
        List<Integer> out = new ArrayList<>();
        for (LabeledImage r : sample.collect()) {
            out.add(((r.pixels()[0] & 0xff) << 8) | (r.pixels()[1] & 0xff));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(SamplingPath.class)
    void withReplacementRowsCanRepeat(SamplingPath path, SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, numberedRows(), numberedRows(), false);
        CachedImages frame = ImageCache.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 10),
                PARTITIONS, path, "test");
        try {
            // expected count per row 1.5: many rows appear twice or more in one Poisson sample
            MiniBatchSampler poisson = new MiniBatchSampler(frame, 600, true, new SplittableRandom(1));
            assertEquals(1.5, poisson.fraction(), 1e-15);
            List<Integer> ids = sampledIds(poisson.sample(poisson.nextSeed()));
            assertTrue(ids.size() > new HashSet<>(ids).size() + 100, "repeats: " + (ids.size() - new HashSet<>(ids).size()));
            MiniBatchSampler bernoulli = new MiniBatchSampler(frame, 600, false, new SplittableRandom(1));
            assertEquals(1.0, bernoulli.fraction());
            List<Integer> all = sampledIds(bernoulli.sample(bernoulli.nextSeed()));
            assertEquals(ROWS, all.size());
            assertEquals(ROWS, new HashSet<>(all).size());
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SamplingPath.class)
    void eachStepAndPartitionDrawsADifferentSample(SamplingPath path, SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, numberedRows(), numberedRows(), false);
        CachedImages frame = ImageCache.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 10),
                PARTITIONS, path, "test");
        try {
            MiniBatchSampler sampler = new MiniBatchSampler(frame, 40, new SplittableRandom(1));
            assertEquals(0.1, sampler.fraction(), 1e-15);
            int steps = 25;
            Set<Long> seedsPlusPartition = new HashSet<>();
            // positions within a partition: equal Bernoulli streams would select equal positions
            List<Set<Integer>> positionSets = new ArrayList<>();
            Set<Set<Integer>> stepSamples = new HashSet<>();
            long total = 0;
            for (int t = 0; t < steps; t++) {
                long seed = sampler.nextSeed();
                for (int p = 0; p < PARTITIONS; p++) {
                    assertTrue(seedsPlusPartition.add(seed + p), "seed " + seed + "+" + p + " reused");
                }
                List<Integer> ids = sampledIds(sampler.sample(seed));
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
            long seed = 12345;
            assertEquals(sampledIds(sampler.sample(seed)), sampledIds(sampler.sample(seed)));
            assertNotEquals(0, total);
        } finally {
            frame.release();
        }
    }
}
