package minibatch.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import minibatch.cli.Main;
import minibatch.cli.TrainCommand;
import minibatch.config.StepMode;
import minibatch.config.TrainDefaults;
import minibatch.config.TrainingConfig;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import minibatch.model.ParameterDigest;
import minibatch.nn.Pixels;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import minibatch.training.EpochRecord;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trainer behind both front doors: {@code MiniBatchNetClassifier.fit} on a DataFrame of the
 * same images, seed and partitions as {@code submit.sh train} ends with the same weights; their
 * defaults are one set; the model remembers its training; a parallel CrossValidator gives the
 * models of a sequential one.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerParityTest {
    @TempDir
    static Path dir;
    Path data;
    Dataset<Row> train;

    @BeforeAll
    void writeData(SparkSession spark) throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 300, 60, 5);
        ImageSource trainSet = ImageSources.open(spark, data.toString(), "--data", DataFormat.IDX, "train", 0, 0,
                ImageSources.Use.TRAINING);
        // raw pixel values 0..255 in a features vector, in the CLI's two partitions
        train = TableExport.features(spark, trainSet, 2).cache();
        assertEquals(300, train.count());
    }

    @ParameterizedTest(name = "--sampling {0}")
    @ValueSource(strings = {"bernoulli", "poisson"})
    void fitOnADataFrameEndsWithTheWeightsOfTrainOnTheSameImages(String sampling) throws IOException {
        Path run = dir.resolve("cli-" + sampling);
        assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", run.toString(), "--hidden",
                "12", "--batch-size", "25", "--steps", "90", "--seed", "3", "--partitions", "2", "--learning-rate", "0.5",
                "--sampling", sampling, "--progress-seconds", "100"));
        MiniBatchNetClassificationModel model = new MiniBatchNetClassifier().setHiddenLayers(12).setBatchSize(25)
                .setSteps(90).setSeed(3).setLearningRate(0.5).setSampling(sampling).setFeatureScale(Pixels.SCALE).fit(train);
        assertEquals(RunSummary.weightsSha256(run), ParameterDigest.sha256(model.weights()));
        assertEquals("barrier", model.summary().sampler(), "resident steps where they can run, as for train");
        String[] losses = Files.readAllLines(run.resolve("steps.csv")).get(1).split(",");
        assertEquals(Double.parseDouble(losses[1]), model.summary().objectiveHistory()[0], 1e-12, "step 1's mean loss");
    }

    @Test
    void theEstimatorsDefaultsAreTheConfFilesDefaults() {
        MiniBatchNetClassifier net = new MiniBatchNetClassifier();
        TrainingConfig fromParams = net.config(10);
        TrainingConfig fromConf = TrainCommand.parseConfig("--classes", "10");
        assertArrayEquals(fromConf.hidden(), fromParams.hidden());
        assertEquals(fromConf.activation(), fromParams.activation());
        assertEquals(fromConf.initializer(), fromParams.initializer());
        assertEquals(fromConf.batchSize(), fromParams.batchSize());
        assertEquals(fromConf.learningRate(), fromParams.learningRate());
        assertEquals(fromConf.optimizer(), fromParams.optimizer());
        assertEquals(fromConf.schedule(), fromParams.schedule());
        assertEquals(fromConf.steps(), fromParams.steps());
        assertEquals(fromConf.epochs(), fromParams.epochs());
        assertEquals(fromConf.seed(), fromParams.seed());
        assertEquals(fromConf.sampler(), fromParams.sampler());
        assertEquals(fromConf.withReplacement(), fromParams.withReplacement());
        assertEquals(fromConf.weightDecay(), fromParams.weightDecay());
        assertEquals(fromConf.dropout(), fromParams.dropout());
        assertEquals(fromConf.validationFraction(), fromParams.validationFraction());
        assertEquals(fromConf.patience(), fromParams.patience());
        assertEquals(StepMode.AUTO, fromParams.sampler());
        // every training param takes its default from the file; nothing else has a default of its own
        Set<String> ownParams = new HashSet<>();
        for (Param<?> p : net.params()) {
            ownParams.add(p.name());
        }
        // layers and imageShape default to empty (none), as --layers has no default either
        ownParams.removeAll(List.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
                "thresholds", "featureScale", "epochs", "layers", "imageShape"));
        assertEquals(ownParams, MiniBatchNetParams.CONF_KEYS.keySet());
        for (String key : MiniBatchNetParams.CONF_KEYS.values()) {
            assertTrue(TrainDefaults.keys().contains(key), "conf/train.properties has " + key);
        }
    }

    @Test
    void aLabelColumnThatDeclaresItsClassesSetsTheOutputs() {
        var declared = org.apache.spark.sql.functions.col("label").cast("double").as("label",
                org.apache.spark.ml.attribute.NominalAttribute.defaultAttr().withNumValues(6).toMetadata());
        MiniBatchNetClassificationModel model = new MiniBatchNetClassifier().setHiddenLayers(4).setSteps(5)
                .setFeatureScale(Pixels.SCALE).fit(train.withColumn("label", declared));
        assertEquals(6, model.numClasses(), "the fixture's rows hold 4 classes; the column names 6");
        assertEquals(4, new MiniBatchNetClassifier().setHiddenLayers(4).setSteps(5).fit(train).numClasses());
    }

    @Test
    void theModelRemembersItsTrainingAndKeepsItWhenSavedAndLoaded() throws IOException {
        MiniBatchNetClassificationModel model = new MiniBatchNetClassifier().setHiddenLayers(8).setBatchSize(30)
                .setEpochs(3).setSteps(0).setValidationFraction(0.2).setFeatureScale(Pixels.SCALE).fit(train);
        MiniBatchNetTrainingSummary summary = model.summary();
        long perEpoch = (300 - Math.round(300 * 0.2)) / 30;
        assertTrue(Math.abs(summary.totalIterations() - 3 * perEpoch) <= 3, "steps " + summary.totalIterations());
        assertEquals(summary.totalIterations(), summary.objectiveHistory().length);
        assertEquals(3, summary.epochs().size(), "one evaluation per epoch");
        for (EpochRecord e : summary.epochs()) {
            assertTrue(e.trainLoss() > 0 && e.trainAccuracy() >= 0 && e.validationLoss() > 0, e.toString());
            assertTrue(Double.isNaN(e.testLoss()), "the estimator has no test set");
        }
        String path = dir.resolve("model-with-summary").toString();
        model.write().overwrite().save(path);
        MiniBatchNetClassificationModel loaded = MiniBatchNetClassificationModel.load(path);
        assertTrue(loaded.hasSummary());
        assertArrayEquals(summary.objectiveHistory(), loaded.summary().objectiveHistory(), 0.0);
        assertArrayEquals(summary.batchRows(), loaded.summary().batchRows());
        assertEquals(summary.epochs(), loaded.summary().epochs());
        assertEquals(summary.sampler(), loaded.summary().sampler());
        assertTrue(!MiniBatchNetClassificationModel.ofPixels(model.shape(), model.weights()).hasSummary());
    }

    @Test
    void aParallelCrossValidatorNeitherHangsNorChangesTheModels() {
        MiniBatchNetClassifier net = new MiniBatchNetClassifier().setHiddenLayers(6).setSteps(40).setBatchSize(20)
                .setFeatureScale(Pixels.SCALE);
        ParamMap[] grid = new ParamGridBuilder().addGrid(net.learningRate(), new double[] {0.1, 0.5})
                .addGrid(net.seed(), new long[] {1, 2}).build();
        CrossValidatorModel sequential = crossValidator(net, grid, 1).fit(train);
        CrossValidatorModel parallel = assertTimeoutPreemptively(Duration.ofMinutes(5),
                () -> crossValidator(net, grid, 2).fit(train));
        assertArrayEquals(sequential.avgMetrics(), parallel.avgMetrics(), 0.0);
        assertArrayEquals(((MiniBatchNetClassificationModel) sequential.bestModel()).weights(),
                ((MiniBatchNetClassificationModel) parallel.bestModel()).weights(), 0.0);
    }

    private static CrossValidator crossValidator(MiniBatchNetClassifier net, ParamMap[] grid, int parallelism) {
        return new CrossValidator().setEstimator(net).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setSeed(3).setParallelism(parallelism);
    }
}
