package minibatch.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import minibatch.UserError;
import minibatch.cli.TrainCommand;
import minibatch.config.TrainingConfig;
import minibatch.model.ParameterDigest;
import minibatch.nn.Activation;
import minibatch.testing.CliArgs;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole training runs on a small synthetic set: they learn, and they are reproducible bit for bit. */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingFromFilesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    void writeData() throws IOException {
        IdxFixtures.syntheticMnist(dir, 600, 200, 5);
    }

    /** A small run on the synthetic set; {@code extra} options override the base ones. */
    private static TrainingConfig config(String... extra) {
        return TrainCommand.parseConfig(CliArgs.merged(List.of("--data", dir.toString(), "--out",
                dir.resolve("unused").toString(), "--hidden", "16", "--classes", "4", "--batch-size", "20",
                "--learning-rate", "0.5", "--steps", "150", "--seed", "1", "--partitions", "2",
                "--progress-seconds", "60"), extra));
    }

    private static TrainingConfig config(long seed, int partitions, Activation activation) {
        return config("--seed", Long.toString(seed), "--partitions", Integer.toString(partitions),
                "--activation", activation.id());
    }

    @Test
    void everyOptimizerScheduleAndRegularizerTrains(SparkSession spark) {
        String[][] variants = {
            {"--optimizer", "momentum", "--learning-rate", "0.1"},
            {"--optimizer", "nesterov", "--learning-rate", "0.1", "--lr-schedule", "step", "--lr-decay-steps", "50"},
            {"--optimizer", "adagrad", "--learning-rate", "0.1", "--init", "xavier"},
            {"--optimizer", "rmsprop", "--learning-rate", "0.01", "--lr-schedule", "cosine", "--warmup-steps", "10"},
            {"--optimizer", "adam", "--learning-rate", "0.01", "--activation", "relu", "--init", "he", "--dropout", "0.2",
                "--weight-decay", "0.001", "--lr-schedule", "exponential", "--lr-decay-steps", "100"},
            {"--sampling", "poisson", "--activation", "tanh", "--init", "xavier"},
            {"--hidden", "32,16", "--activation", "relu", "--init", "he", "--optimizer", "momentum", "--learning-rate", "0.05"},
        };
        for (String[] variant : variants) {
            TrainingResult r = train(spark, config(variant));
            assertTrue(r.last().testAccuracy() > 0.8, String.join(" ", variant) + ": test accuracy " + r.last().testAccuracy());
        }
    }

    @Test
    void stepActivationCannotLearnItsFirstLayer(SparkSession spark) {
        TrainingConfig step = config("--activation", "step", "--init", "xavier");
        TrainingResult r = train(spark, step);
        var shape = (minibatch.nn.NetworkShape) r.shape();
        double[] initial = step.initializer().initialize(shape, new java.util.SplittableRandom(step.seed()).split());
        for (int i = shape.weightOffset(0); i < shape.weightOffset(1); i++) {
            assertEquals(initial[i], r.params()[i], "W1/b1 entry " + i + " moved");
        }
        assertNotEquals(initial[shape.weightOffset(1)], r.params()[shape.weightOffset(1)], "the output layer learns");
    }

    @Test
    void earlyStoppingKeepsTheBestWeights(SparkSession spark) throws IOException {
        // random labels: there is nothing to learn, so memorising the training rows makes the
        // validation loss rise after the first epochs
        ImageSet images = IdxFixtures.synthetic(600, 8, 8, 4, 31);
        byte[] randomLabels = new byte[600];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(32);
        for (int i = 0; i < randomLabels.length; i++) {
            randomLabels[i] = (byte) rng.nextInt(4);
        }
        Path noise = IdxFixtures.writeMnistLayout(dir.resolve("noise"),
                new ImageSet(8, 8, images.pixels(), randomLabels), IdxFixtures.synthetic(50, 8, 8, 4, 33), false);
        TrainingConfig c = config("--data", noise.toString(), "--validation-fraction", "0.25",
                "--early-stopping-patience", "2", "--steps", "3000", "--optimizer", "adam", "--learning-rate", "0.01",
                "--hidden", "64");
        TrainingResult r = train(spark, c);
        assertTrue(r.validationRows() > 100 && r.validationRows() < 200, "validation rows " + r.validationRows());
        assertEquals(600 - r.validationRows(), r.trainRows());
        assertTrue(r.steps().size() < 3000, "stopped early after " + r.steps().size() + " steps");
        EpochRecord best = r.restored();
        double lowest = r.epochs().stream().mapToDouble(EpochRecord::validationLoss).min().orElseThrow();
        assertEquals(lowest, best.validationLoss());
        assertEquals(best, r.last());
        assertTrue(r.epochs().indexOf(best) <= r.epochs().size() - 3, "two evaluations without improvement followed");
        assertConfusionOf(best, r);
    }

    @Test
    void divergenceStopsWithAClearError(SparkSession spark) {
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                () -> train(spark, config("--learning-rate", "1e300", "--activation", "relu", "--init", "he")));
        assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
        assertTrue(e.getMessage().contains("try a smaller --learning-rate"), e.getMessage());
    }

    /** The run's test confusion counts are those of the evaluation whose weights it kept. */
    private static void assertConfusionOf(EpochRecord kept, TrainingResult r) {
        ClassificationMetrics m = new ClassificationMetrics(r.testConfusion());
        assertEquals(r.testRows(), m.total());
        assertEquals(kept.testAccuracy(), m.accuracy());
    }

    private static TrainingResult train(SparkSession spark, TrainingConfig config) {
        return TrainingFromFiles.train(spark, config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void learnsClearlyBetterThanChance(SparkSession spark) {
        for (Activation activation : new Activation[] {Activation.SIGMOID, Activation.RELU, Activation.TANH}) {
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
            assertConfusionOf(last, r);
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
        TrainingConfig byEpochs = config("--hidden", "8", "--activation", "relu", "--batch-size", "100",
                "--learning-rate", "0.1", "--steps", "0", "--epochs", "2", "--seed", "3", "--sampler", "dataframe");
        TrainingResult r = train(spark, byEpochs);
        assertEquals(12, r.steps().size());
        assertEquals(2, r.epochs().size());
        assertEquals(1.0, r.epochs().get(0).epoch());
        assertEquals(6, r.epochs().get(0).step());
    }
}
