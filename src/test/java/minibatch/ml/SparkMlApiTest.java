package minibatch.ml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import minibatch.cli.Main;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import minibatch.nn.Backprop;
import minibatch.nn.Pixels;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator and model in Spark ML's machinery: Pipeline, CrossValidator, the evaluator, ML
 * persistence (also inside a PipelineModel), and models written by {@code submit.sh train}.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkMlApiTest {
    private static final int PIXELS = 64;

    @TempDir
    static Path dir;
    Dataset<Row> train;
    Dataset<Row> test;

    @BeforeAll
    void frames(SparkSession spark) {
        ImageSet all = IdxFixtures.synthetic(500, 8, 8, 4, 21);
        train = columns(spark, all, 0, 400);
        test = columns(spark, all, 400, 500);
    }

    /** One double column per pixel (p0..p63), as a user's table would hold them, plus a label. */
    private static Dataset<Row> columns(SparkSession spark, ImageSet set, int from, int to) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType, false);
        for (int i = 0; i < PIXELS; i++) {
            schema = schema.add("p" + i, DataTypes.DoubleType, false);
        }
        List<Row> rows = new ArrayList<>();
        for (int r = from; r < to; r++) {
            Object[] v = new Object[PIXELS + 1];
            v[0] = (double) set.labels()[r];
            byte[] image = set.image(r);
            for (int i = 0; i < PIXELS; i++) {
                v[i + 1] = (double) (image[i] & 0xFF);
            }
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    private static VectorAssembler assembler() {
        String[] in = new String[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            in[i] = "p" + i;
        }
        return new VectorAssembler().setInputCols(in).setOutputCol("features");
    }

    private static MiniBatchNetClassifier classifier() {
        return new MiniBatchNetClassifier().setHiddenLayers(16).setLearningRate(0.5).setBatchSize(20).setSteps(300)
                .setSeed(7).setFeatureScale(1.0 / 255);
    }

    /** {@link #classifier()}'s settings with a layer stack instead of hidden layers. */
    private static MiniBatchNetClassifier layered(String layers) {
        return new MiniBatchNetClassifier().setLayers(layers).setLearningRate(0.5).setBatchSize(20).setSteps(300)
                .setSeed(7).setFeatureScale(1.0 / 255);
    }

    private static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    @Test
    void pipelineFitsTransformsAndScoresWithTheStandardEvaluator() {
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler(), classifier()}).fit(train);
        Dataset<Row> predicted = model.transform(test);
        for (String column : List.of("rawPrediction", "probability", "prediction")) {
            assertTrue(List.of(predicted.columns()).contains(column), column);
        }
        Row first = predicted.select("probability").head();
        double sum = 0;
        for (double p : first.<Vector>getAs(0).toArray()) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-9);
        double accuracy = accuracy(predicted);
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy);
        MiniBatchNetClassificationModel net = (MiniBatchNetClassificationModel) model.stages()[1];
        assertArrayEquals(new int[] {64, 16, 4}, net.layers());
        MiniBatchNetClassificationModel again = (MiniBatchNetClassificationModel)
                new Pipeline().setStages(new PipelineStage[] {assembler(), classifier()}).fit(train).stages()[1];
        assertArrayEquals(net.weights(), again.weights(), 0.0, "same seed, same partitions: same weights");
    }

    /**
     * A convolutional network through the Spark ML API: setLayers on 8x8 features (a square gray
     * image by default), fit, transform, save and load; imageShape that does not hold the features
     * and a spec that does not fit are IllegalArgumentExceptions naming the param.
     */
    @Test
    void aLayerStackFitsTransformsSavesAndLoads() throws IOException {
        MiniBatchNetClassifier cnn = layered("conv3x3x6,relu,maxpool2,dense16,relu").setInitializer("he")
                .setOptimizer("adam").setLearningRate(0.01).setSteps(150);
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler(), cnn}).fit(train);
        double accuracy = accuracy(model.transform(test));
        assertTrue(accuracy > 0.8, "test accuracy " + accuracy);
        MiniBatchNetClassificationModel net = (MiniBatchNetClassificationModel) model.stages()[1];
        assertEquals("8x8x1 conv3x3x6 relu maxpool2 dense16 relu dense4 softmax", net.shape().toString());
        String path = dir.resolve("cnn").toString();
        net.write().overwrite().save(path);
        Dataset<Row> features = assembler().transform(test);
        assertSame(net.transform(features), MiniBatchNetClassificationModel.load(path).transform(features));

        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class, () -> new Pipeline()
                .setStages(new PipelineStage[] {assembler(), layered("conv3x3x4").setImageShape("4x4x1")})
                .fit(train));
        assertEquals("imageShape 4x4x1 holds 16 values, the features 64", wrongShape.getMessage());
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class, () -> new Pipeline()
                .setStages(new PipelineStage[] {assembler(), layered("conv9x9x4")}).fit(train));
        assertEquals("layers: layer 1 'conv9x9x4': its input is 8x8x1, smaller than the 9x9 kernel (the images are 8x8x1)",
                tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier().setLayers("conv3x3"));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new Pipeline()
                .setStages(new PipelineStage[] {assembler(), classifier().setLayers("conv3x3x4")}).fit(train));
        assertEquals("layers replaces hiddenLayers and activation: set one or the other", both.getMessage(),
                "classifier() sets hiddenLayers");
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class, () -> new Pipeline()
                .setStages(new PipelineStage[] {assembler(), new MiniBatchNetClassifier().setLayers("conv3x3x4")
                        .setDropout(0.3).setSteps(5)}).fit(train));
        assertEquals("dropout drops units of hiddenLayers; with layers, dropout is a layer (e.g. dense128,relu,dropout0.5)",
                dropout.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class, () -> new Pipeline()
                .setStages(new PipelineStage[] {assembler(), new MiniBatchNetClassifier().setLayers("conv3x3x4")
                        .setImageShape("8x4x2").setSteps(5)}).fit(train));
        assertEquals("imageShape 8x4x2: images have 1 (gray) or 3 (R, G, B) channels", channels.getMessage());
    }

    @Test
    void crossValidatorRunsATwoByTwoGrid() {
        MiniBatchNetClassifier net = classifier().setSteps(60);
        ParamMap[] grid = new ParamGridBuilder().addGrid(net.learningRate(), new double[] {0.1, 0.5})
                .addGrid(net.batchSize(), new int[] {10, 30}).build();
        CrossValidatorModel cv = new CrossValidator()
                .setEstimator(new Pipeline().setStages(new PipelineStage[] {assembler(), net}))
                .setEstimatorParamMaps(grid).setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setSeed(3).fit(train);
        assertEquals(4, cv.avgMetrics().length);
        for (double m : cv.avgMetrics()) {
            assertTrue(m > 0.2 && m <= 1.0, "metric " + m);
        }
        assertTrue(accuracy(cv.transform(test)) > 0.5);
    }

    @Test
    void saveAndLoadGiveIdenticalPredictionsAlsoInsideAPipelineModel() throws IOException {
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler(), classifier().setSteps(100)})
                .fit(train);
        MiniBatchNetClassificationModel net = (MiniBatchNetClassificationModel) model.stages()[1];
        String netPath = dir.resolve("net").toString();
        net.write().overwrite().save(netPath);
        MiniBatchNetClassificationModel loaded = MiniBatchNetClassificationModel.load(netPath);
        assertEquals(net.uid(), loaded.uid());
        assertEquals(1.0 / 255, loaded.getFeatureScale());
        Dataset<Row> features = assembler().transform(test);
        assertSame(net.transform(features), loaded.transform(features));

        String pipelinePath = dir.resolve("pipeline").toString();
        model.write().overwrite().save(pipelinePath);
        assertSame(model.transform(test), PipelineModel.load(pipelinePath).transform(test));

        String estimatorPath = dir.resolve("estimator").toString();
        classifier().setActivation("relu").setHiddenLayers(8, 4).write().overwrite().save(estimatorPath);
        MiniBatchNetClassifier estimator = MiniBatchNetClassifier.load(estimatorPath);
        assertEquals("relu", estimator.getOrDefault(estimator.activation()));
        assertArrayEquals(new int[] {8, 4}, (int[]) estimator.getOrDefault(estimator.hiddenLayers()));
    }

    @Test
    void everyTrainingOptionIsAParamAndEarlyStoppingWorksThroughThem() {
        MiniBatchNetClassifier net = classifier().setEpochs(6).setSteps(0).setOptimizer("adam").setLearningRate(0.01)
                .setLrSchedule("cosine").setWarmupSteps(10).setEpsilon(1e-8).setRho(0.9).setDropout(0.1).setWeightDecay(1e-4)
                .setValidationFraction(0.25).setEarlyStoppingPatience(2).setSampling("poisson").setInitializer("xavier");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (org.apache.spark.ml.param.Param<?> p : net.params()) {
            names.add(p.name());
        }
        for (String option : List.of("hiddenLayers", "activation", "initializer", "optimizer", "learningRate", "batchSize",
                "steps", "epochs", "seed", "momentum", "rho", "beta1", "beta2", "epsilon", "lrSchedule", "lrDecaySteps",
                "lrDecayRate", "lrMin", "warmupSteps", "weightDecay", "dropout", "sampling", "validationFraction",
                "earlyStoppingPatience", "featureScale", "featuresCol", "labelCol", "probabilityCol")) {
            assertTrue(names.contains(option), option);
        }
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler(), net}).fit(train);
        assertTrue(accuracy(model.transform(test)) > 0.5);
    }

    private static void assertSame(Dataset<Row> a, Dataset<Row> b) {
        List<Row> x = a.select("prediction", "probability", "rawPrediction").collectAsList();
        List<Row> y = b.select("prediction", "probability", "rawPrediction").collectAsList();
        assertEquals(x, y);
    }

    @Test
    void aModelWrittenByTheCliLoadsWithModelLoad(SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("mnist"), 200, 40, 4);
        Path run = dir.resolve("cli-run");
        assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", run.toString(), "--master",
                "local[2]", "--hidden", "6", "--batch-size", "20", "--steps", "30", "--progress-seconds", "100"));
        MiniBatchNetClassificationModel model = MiniBatchNetClassificationModel.load(run.resolve("model").toString());
        SavedModel saved = ModelReader.readModelFolder(new org.apache.hadoop.fs.Path(run.resolve("model").toUri()),
                new Configuration());
        assertArrayEquals(saved.params(), model.weights(), 0.0);
        // the Parquet layout the CLI converts to: raw pixel values in a features vector
        ImageSource testSet = ImageSources.open(spark, data.toString(), "--data", DataFormat.IDX, "test", 0, 0,
                ImageSources.Use.TRAINING);
        List<Row> rows = model.transform(TableExport.features(spark, testSet, 2)).select("features", "probability")
                .collectAsList();
        Backprop pass = new Backprop((minibatch.nn.NetworkShape) saved.shape());
        for (Row row : rows) {
            double[] raw = row.<Vector>getAs(0).toArray();
            byte[] pixels = new byte[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (byte) raw[i];
            }
            Pixels.scale(pixels, pass.input());
            assertArrayEquals(pass.forward(saved.params()), row.<Vector>getAs(1).toArray(), 1e-12);
        }
    }
}
