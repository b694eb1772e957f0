package minibatch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import minibatch.config.TrainingConfig;
import minibatch.data.SamplingPath;
import minibatch.model.ParameterDigest;
import minibatch.nn.Activation;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole training runs on a small synthetic set: they learn, and they are reproducible bit for bit. */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingJobTest {
    @TempDir
    static Path dir;

    @BeforeAll
    void writeData() throws IOException {
        IdxFixtures.syntheticMnist(dir, 600, 200, 5);
    }

    private TrainingConfig config(long seed, int partitions, Activation activation) {
        return new TrainingConfig(dir.toString(), dir.resolve("unused-out").toString(), null, new int[] {16},
                activation, 20, 0.5, 150, 0, seed, partitions, 4, SamplingPath.RDD, false, 60, Map.of());
    }

    private static TrainingResult train(SparkSession spark, TrainingConfig config) {
        return TrainingJob.train(spark, config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void learnsClearlyBetterThanChance(SparkSession spark) {
        for (Activation activation : Activation.values()) {
            TrainingResult r = train(spark, config(1, 2, activation));
            assertEquals(150, r.steps().size());
            // 150 steps of 20 rows over 600 rows: evaluations after epochs 1..5 (30 steps each)
            assertEquals(30, r.stepsPerEpoch());
            assertEquals(5, r.epochs().size());
            EpochRecord last = r.last();
            assertTrue(last.testAccuracy() > 0.8, activation + ": test accuracy " + last.testAccuracy() + " (chance 0.25)");
            assertTrue(last.trainLoss() < r.epochs().get(0).trainLoss(), activation + ": loss did not fall");
            double firstLoss = r.steps().get(0).loss();
            assertEquals(Math.log(4), firstLoss, 0.1, "tiny initial weights give ~uniform predictions");
            assertTrue(r.meanBatchRows() > 15 && r.meanBatchRows() < 25, "mean batch " + r.meanBatchRows());
        }
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights(SparkSession spark) {
        String a = ParameterDigest.sha256(train(spark, config(7, 3, Activation.SIGMOID)).params());
        String b = ParameterDigest.sha256(train(spark, config(7, 3, Activation.SIGMOID)).params());
        String c = ParameterDigest.sha256(train(spark, config(8, 3, Activation.SIGMOID)).params());
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void epochsOptionRunsWholeEpochsAndEvaluatesAfterEach(SparkSession spark) {
        TrainingConfig byEpochs = new TrainingConfig(dir.toString(), "unused", null, new int[] {8}, Activation.RELU,
                100, 0.1, 0, 2, 3, 2, 4, SamplingPath.DATAFRAME, false, 60, Map.of());
        TrainingResult r = train(spark, byEpochs);
        assertEquals(12, r.steps().size());
        assertEquals(2, r.epochs().size());
        assertEquals(1.0, r.epochs().get(0).epoch());
        assertEquals(6, r.epochs().get(0).step());
    }
}
