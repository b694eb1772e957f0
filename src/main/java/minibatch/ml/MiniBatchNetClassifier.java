package minibatch.ml;

import java.io.OutputStream;
import java.io.PrintStream;
import minibatch.config.TrainingConfig;
import minibatch.data.cache.CachedImages;
import minibatch.data.cache.FrameLayout;
import minibatch.distributed.KryoClasses;
import minibatch.nn.Network;
import minibatch.nn.layers.LayerNetwork;
import minibatch.training.Trainer;
import minibatch.training.TrainingResult;
import minibatch.training.checkpoint.Checkpointing;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Spark ML estimator for a fully connected network trained by distributed mini-batch SGD (or
 * momentum, Nesterov, AdaGrad, RMSProp, Adam), through the same trainer as {@code submit.sh train}:
 * the input's {@code (label, features)} rows are cached as a DataFrame, every step's mini-batch is
 * {@code Dataset.sample}'s rows of it (drawn by resident barrier tasks where the cluster can run
 * them, else by one job per step), the executors return summed loss and gradients, and the driver
 * divides by the rows actually sampled. Takes a {@code features} vector (any size, finite values;
 * multiplied by {@code featureScale}) and a {@code label} column of class indices 0..K-1 (K at most
 * 65,536), checked by one Spark job before training ({@link ValidatedInput}). Params and their
 * defaults: {@link MiniBatchNetParams}.
 */
public final class MiniBatchNetClassifier extends MiniBatchNetParams implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    /** How often fit logs a progress line to the logger minibatch.progress. */
    private static final double LOG_PROGRESS_SECONDS = 10;

    public MiniBatchNetClassifier() {
        this(Identifiable.randomUID("minibatchnet"));
    }

    public MiniBatchNetClassifier(String uid) {
        super(PendingUid.stash(uid));
    }

    public MiniBatchNetClassifier setHiddenLayers(int... value) {
        return put(hiddenLayers(), value);
    }

    public MiniBatchNetClassifier setActivation(String value) {
        return put(activation(), value);
    }

    /** Hidden layers as a stack, e.g. {@code conv5x5x16,relu,maxpool2}; replaces hiddenLayers and activation. */
    public MiniBatchNetClassifier setLayers(String value) {
        return put(layers(), value);
    }

    /** The features' images as {@code HxWxC}, channels last (for layers; default: square gray). */
    public MiniBatchNetClassifier setImageShape(String value) {
        return put(imageShape(), value);
    }

    public MiniBatchNetClassifier setInitializer(String value) {
        return put(initializer(), value);
    }

    public MiniBatchNetClassifier setOptimizer(String value) {
        return put(optimizer(), value);
    }

    public MiniBatchNetClassifier setLearningRate(double value) {
        return put(learningRate(), value);
    }

    public MiniBatchNetClassifier setBatchSize(int value) {
        return put(batchSize(), value);
    }

    public MiniBatchNetClassifier setSteps(long value) {
        return put(steps(), value);
    }

    public MiniBatchNetClassifier setEpochs(int value) {
        return put(epochs(), value);
    }

    public MiniBatchNetClassifier setSeed(long value) {
        return put(seed(), value);
    }

    public MiniBatchNetClassifier setMomentum(double value) {
        return put(momentum(), value);
    }

    public MiniBatchNetClassifier setRho(double value) {
        return put(rho(), value);
    }

    public MiniBatchNetClassifier setEpsilon(double value) {
        return put(epsilon(), value);
    }

    public MiniBatchNetClassifier setLrSchedule(String value) {
        return put(lrSchedule(), value);
    }

    public MiniBatchNetClassifier setLrDecaySteps(long value) {
        return put(lrDecaySteps(), value);
    }

    public MiniBatchNetClassifier setLrDecayRate(double value) {
        return put(lrDecayRate(), value);
    }

    public MiniBatchNetClassifier setLrMin(double value) {
        return put(lrMin(), value);
    }

    public MiniBatchNetClassifier setWarmupSteps(long value) {
        return put(warmupSteps(), value);
    }

    public MiniBatchNetClassifier setValidationFraction(double value) {
        return put(validationFraction(), value);
    }

    public MiniBatchNetClassifier setEarlyStoppingPatience(int value) {
        return put(earlyStoppingPatience(), value);
    }

    public MiniBatchNetClassifier setBeta1(double value) {
        return put(beta1(), value);
    }

    public MiniBatchNetClassifier setBeta2(double value) {
        return put(beta2(), value);
    }

    public MiniBatchNetClassifier setWeightDecay(double value) {
        return put(weightDecay(), value);
    }

    public MiniBatchNetClassifier setDropout(double value) {
        return put(dropout(), value);
    }

    public MiniBatchNetClassifier setSampling(String value) {
        return put(sampling(), value);
    }

    public MiniBatchNetClassifier setSampler(String value) {
        return put(sampler(), value);
    }

    public MiniBatchNetClassifier setFeatureScale(double value) {
        return put(featureScale(), value);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private MiniBatchNetClassifier put(Param param, Object value) {
        set(param, value);
        return this;
    }

    @Override
    public MiniBatchNetClassificationModel train(Dataset<?> dataset) {
        var missing = KryoClasses.unregistered(dataset.sparkSession().sparkContext().getConf());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("spark.kryo.registrationRequired=true: spark.kryo.classesToRegister lacks "
                    + "the trainer's classes " + missing + "; start the session with spark.kryo.classesToRegister set to "
                    + "KryoClasses.mergedWith(your list)");
        }
        String labelCol = getLabelCol();
        String featuresCol = getFeaturesCol();
        Dataset<Row> rows = dataset.select(functions.col(labelCol).cast("double").as("label"),
                functions.col(featuresCol).as("features"));
        ValidatedInput input = ValidatedInput.of(dataset.select(functions.col(labelCol).cast("double").as("label"),
                functions.col(labelCol).as("raw_label"), functions.col(featuresCol).as("features")), labelCol, featuresCol);
        long count = input.rows();
        int classes = Math.max(Math.max(2, input.maxLabel() + 1), declaredClasses(dataset, labelCol));
        int inputs = input.inputs();
        TrainingConfig config = config(classes);
        if (config.batchSize() > count) {
            throw new IllegalArgumentException("batchSize " + config.batchSize() + " is larger than the " + count
                    + " training rows");
        }
        Network shape = FeatureNetwork.of(config, isSet(hiddenLayers()) || isSet(activation()), $(imageShape()), inputs,
                classes);
        FrameLayout layout = FrameLayout.features(value(featureScale()));
        Trainer.Data data = Trainer.holdOut(cache(rows, layout), null, config);
        try {
            // progress goes to the logger minibatch.progress (INFO) only
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            TrainingResult result = Trainer.fit(data, shape, config, quiet, LOG_PROGRESS_SECONDS, false,
                    Checkpointing.NONE);
            MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(uid(), shape, result.params())
                    .withSummary(MiniBatchNetTrainingSummary.of(result));
            if (shape instanceof LayerNetwork stack) {
                // colour images (imageShape HxWx3) must be read as colour by the CLI's predict and evaluate
                model.withInput(java.util.List.of(), stack.input().channels());
            }
            return model.setFeatureScale(layout.scale());
        } finally {
            data.release();
        }
    }

    /**
     * The class count the label column's ML attribute declares (as {@code StringIndexer} sets it),
     * or 0: a label column may name classes that the training rows happen not to hold.
     */
    private static int declaredClasses(Dataset<?> dataset, String labelCol) {
        var attribute = org.apache.spark.ml.attribute.Attribute.fromStructField(dataset.schema().apply(labelCol));
        if (attribute instanceof org.apache.spark.ml.attribute.NominalAttribute nominal && nominal.getNumValues().isDefined()) {
            return (Integer) nominal.getNumValues().get();
        }
        if (attribute instanceof org.apache.spark.ml.attribute.BinaryAttribute) {
            return 2;
        }
        return 0;
    }

    /**
     * {@code (label double, features vector)} rows cached in {@code layout}, partition by partition
     * as they come. The cache lives in a session of its own with the job's SQL setting for sampled
     * plans (whole-stage codegen off, which would compile a class for every step's seed), so the
     * caller's session settings stay as they are; it takes the caller's {@code spark.minibatch.*} settings.
     */
    private static CachedImages cache(Dataset<Row> rows, FrameLayout layout) {
        SparkSession training = rows.sparkSession().newSession();
        minibatch.distributed.StepRunners.sqlSettings().forEach(training.conf()::set);
        minibatch.distributed.MinibatchSettings.copy(rows.sparkSession().conf(), training.conf());
        JavaRDD<Row> encoded = rows.javaRDD().map(r -> FrameLayout.row((int) r.getDouble(0), ((Vector) r.get(1)).toArray()));
        return CachedImages.of(training.createDataFrame(encoded, layout.schema()), layout);
    }

    @Override
    public MiniBatchNetClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<MiniBatchNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static MiniBatchNetClassifier load(String path) {
        return read().load(path);
    }
}
