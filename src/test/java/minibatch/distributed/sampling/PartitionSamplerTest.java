package minibatch.distributed.sampling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.data.idx.MnistFiles;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows a resident task keeps of its partition are, step after step, exactly the rows a real
 * {@code Dataset.sample} call returns for that partition of the cached DataFrame, read per
 * partition from the sample's own RDD: with and without replacement, over 1, 2 and 3 partitions,
 * with Spark's whole-stage codegen off (the job's setting) and on (Spark's default).
 */
@ExtendWith(LocalSpark.class)
class PartitionSamplerTest {
    private static final int ROWS = 1000;
    private static final int STEPS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "replacement={0}, partitions={1}, batch={2}, codegen={3}")
    @CsvSource({"false,1,50,false", "false,2,50,false", "false,3,50,false", "true,1,50,false", "true,2,50,false",
        "true,3,50,false", "false,2,600,false", "true,3,1500,false", "false,3,50,true", "true,2,50,true"})
    void everyPartitionsBatchIsWhatDatasetSampleReturns(boolean withReplacement, int partitions, int batch,
                                                        boolean codegen, SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, IdxFixtures.synthetic(ROWS, 4, 4, 10, 3), IdxFixtures.synthetic(5, 4, 4, 10, 4),
                false);
        CachedImages rows = CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 10), partitions,
                "test");
        String before = spark.conf().get("spark.sql.codegen.wholeStage");
        spark.conf().set("spark.sql.codegen.wholeStage", Boolean.toString(codegen));
        try {
            List<LabeledImage[]> cached = perPartition(rows.images().glom().collect());
            assertEquals(partitions, cached.size());
            MiniBatchSampler sampler = new MiniBatchSampler(rows, batch, withReplacement,
                    new StepSeeds(new SplittableRandom(11), null));
            PartitionSampler tasks = sampler.partitionSampler();
            long kept = 0;
            for (long step = 1; step <= STEPS; step++) {
                Dataset<Row> sample = sampler.sample(step);
                List<List<LabeledImage>> expected = sample.javaRDD().map(rows.layout()::decode).glom().collect();
                for (int p = 0; p < partitions; p++) {
                    List<LabeledImage> actual = tasks.sample(sampler.seeds().sample(step), p, cached.get(p));
                    assertEquals(ids(expected.get(p)), ids(actual), "step " + step + ", partition " + p);
                    kept += actual.size();
                }
            }
            double mean = (double) kept / STEPS;
            assertTrue(Math.abs(mean - batch) < 5 * Math.sqrt(batch) + 1, "mean batch " + mean + " for " + batch);
        } finally {
            spark.conf().set("spark.sql.codegen.wholeStage", before);
            rows.release();
        }
    }

    private static List<LabeledImage[]> perPartition(List<List<LabeledImage>> glom) {
        List<LabeledImage[]> out = new ArrayList<>();
        for (List<LabeledImage> part : glom) {
            out.add(part.toArray(LabeledImage[]::new));
        }
        return out;
    }

    /** Each row as label and pixels: rows compare by content, in order, repeats kept. */
    private static List<String> ids(List<LabeledImage> rows) {
        List<String> out = new ArrayList<>();
        for (LabeledImage r : rows) {
            out.add(r.label() + ":" + java.util.Arrays.toString(r.pixels()));
        }
        return out;
    }

    @ParameterizedTest(name = "replacement={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aBatchDrawnPieceByPieceIsTheBatchDrawnAtOnce(boolean withReplacement) {
        Integer[] rows = new Integer[10_000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        PartitionSampler sampler = new PartitionSampler(0.05, withReplacement);
        for (long seed = 0; seed < 10; seed++) {
            PartitionSampler.Draw<Integer> draw = sampler.draw(seed, 1, rows);
            for (int piece : new int[] {1, 7, 2048, 333}) {
                draw.advance(piece);
            }
            assertEquals(sampler.sample(seed, 1, rows), draw.finish(), "seed " + seed);
            assertTrue(draw.done());
        }
    }
}
