package minibatch.ml;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import minibatch.config.OptimizerConfig;
import minibatch.config.ScheduleConfig;
import minibatch.config.TrainingConfig;
import minibatch.data.CachedImages;
import minibatch.data.DataFormat;
import minibatch.data.ImageCache;
import minibatch.data.LabeledImage;
import minibatch.data.SamplingPath;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.training.ProgressLog;
import minibatch.training.TrainingJob;
import minibatch.training.TrainingLoop;
import minibatch.training.TrainingResult;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Function1;

/**
 * Spark ML estimator for a fully connected network trained by distributed mini-batch SGD (or
 * momentum, Nesterov, AdaGrad, RMSProp, Adam): each step draws a mini-batch with Spark's
 * {@code sample} over the cached rows, the executors return summed loss and gradients, and the
 * driver divides by the rows actually sampled. The same training loop and math as
 * {@code submit.sh train}. Takes a {@code features} vector (any size; multiplied by
 * {@code featureScale}) and a {@code label} column of class indices 0..K-1.
 */
public final class MiniBatchNetClassifier
        extends ProbabilisticClassifier<Vector, MiniBatchNetClassifier, MiniBatchNetClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    /** Set by the first {@link #uid()} call, made by Spark's constructors (see {@link PendingUid}). */
    private String uid;
    private IntArrayParam hiddenLayers;
    private Param<String> activation;
    private Param<String> initializer;
    private Param<String> optimizer;
    private DoubleParam learningRate;
    private IntParam batchSize;
    private LongParam steps;
    private IntParam epochs;
    private LongParam seed;
    private DoubleParam momentum;
    private DoubleParam rho;
    private DoubleParam epsilon;
    private Param<String> lrSchedule;
    private LongParam lrDecaySteps;
    private DoubleParam lrDecayRate;
    private DoubleParam lrMin;
    private LongParam warmupSteps;
    private DoubleParam validationFraction;
    private IntParam earlyStoppingPatience;
    private DoubleParam beta1;
    private DoubleParam beta2;
    private DoubleParam weightDecay;
    private DoubleParam dropout;
    private Param<String> sampling;
    private DoubleParam featureScale;

    public MiniBatchNetClassifier() {
        this(Identifiable.randomUID("minibatchnet"));
    }

    public MiniBatchNetClassifier(String uid) {
        this(PendingUid.stash(uid));
        // Params need the uid, so they are made here rather than in field initializers.
        Function1<int[], Object> positiveSizes = (Function1<int[], Object> & Serializable)
                sizes -> sizes.length > 0 && Arrays.stream(sizes).allMatch(s -> s > 0);
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "hidden layer widths, e.g. [50]", positiveSizes);
        activation = ChoiceParam.of(this, "activation", "hidden activation: sigmoid, relu, tanh or step",
                "sigmoid", "relu", "tanh", "step");
        initializer = ChoiceParam.of(this, "initializer", "initial weights: std, xavier or he",
                "std", "xavier", "he");
        optimizer = ChoiceParam.of(this, "optimizer", "sgd, momentum, nesterov, adagrad, rmsprop or adam",
                "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam");
        learningRate = new DoubleParam(this, "learningRate", "step size (> 0)", ParamValidators.gt(0.0));
        batchSize = new IntParam(this, "batchSize", "expected rows per mini-batch (> 0)", ParamValidators.gt(0.0));
        steps = new LongParam(this, "steps", "training steps; 0 to use epochs", ParamValidators.gtEq(0.0));
        epochs = new IntParam(this, "epochs", "epochs (rows / batchSize steps each), used when steps is 0",
                ParamValidators.gtEq(0.0));
        seed = new LongParam(this, "seed", "seed of the initial weights and of every step's sample");
        momentum = new DoubleParam(this, "momentum", "momentum coefficient in [0, 1)", ParamValidators.inRange(0.0, 1.0, true, false));
        rho = new DoubleParam(this, "rho", "RMSProp's decay in (0, 1)", ParamValidators.inRange(0.0, 1.0, false, false));
        epsilon = new DoubleParam(this, "epsilon", "AdaGrad/RMSProp/Adam denominator guard (> 0)", ParamValidators.gt(0.0));
        lrSchedule = ChoiceParam.of(this, "lrSchedule", "learning-rate schedule: constant, step, exponential or cosine",
                "constant", "step", "exponential", "cosine");
        lrDecaySteps = new LongParam(this, "lrDecaySteps", "steps per decay period (> 0)", ParamValidators.gt(0.0));
        lrDecayRate = new DoubleParam(this, "lrDecayRate", "factor per decay period, in (0, 1]",
                ParamValidators.inRange(0.0, 1.0, false, true));
        lrMin = new DoubleParam(this, "lrMin", "rate cosine decay ends at (>= 0)", ParamValidators.gtEq(0.0));
        warmupSteps = new LongParam(this, "warmupSteps", "steps of linear warm-up (0 = none)", ParamValidators.gtEq(0.0));
        validationFraction = new DoubleParam(this, "validationFraction",
                "part of the rows held out (seeded) for early stopping, in [0, 1)", ParamValidators.inRange(0.0, 1.0, true, false));
        earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience",
                "stop after this many epochs without a lower validation loss and keep the best weights (0 = never); "
                        + "needs validationFraction > 0", ParamValidators.gtEq(0.0));
        beta1 = new DoubleParam(this, "beta1", "Adam's first-moment decay in [0, 1)", ParamValidators.inRange(0.0, 1.0, true, false));
        beta2 = new DoubleParam(this, "beta2", "Adam's second-moment decay in (0, 1)", ParamValidators.inRange(0.0, 1.0, false, false));
        weightDecay = new DoubleParam(this, "weightDecay", "L2 coefficient on weights (>= 0)", ParamValidators.gtEq(0.0));
        dropout = new DoubleParam(this, "dropout", "probability of dropping a hidden unit in training, in [0, 1)",
                ParamValidators.inRange(0.0, 1.0, true, false));
        sampling = ChoiceParam.of(this, "sampling", "bernoulli (without replacement) or poisson (with replacement)",
                "bernoulli", "poisson");
        featureScale = new DoubleParam(this, "featureScale",
                "factor applied to every feature before the network (1/255 for raw pixel values 0..255)", ParamValidators.gt(0.0));
        setDefault(hiddenLayers, new int[] {50});
        setDefault(activation, "sigmoid");
        setDefault(initializer, "std");
        setDefault(optimizer, "sgd");
        setDefault(learningRate, 0.1);
        setDefault(batchSize, 100);
        setDefault(steps, 10_000L);
        setDefault(epochs, 0);
        setDefault(seed, 1L);
        setDefault(momentum, OptimizerConfig.SGD.momentum());
        setDefault(rho, OptimizerConfig.SGD.rho());
        setDefault(epsilon, OptimizerConfig.SGD.epsilon());
        setDefault(lrSchedule, "constant");
        setDefault(lrDecaySteps, ScheduleConfig.CONSTANT.decaySteps());
        setDefault(lrDecayRate, ScheduleConfig.CONSTANT.decayRate());
        setDefault(lrMin, ScheduleConfig.CONSTANT.minRate());
        setDefault(warmupSteps, 0L);
        setDefault(validationFraction, 0.0);
        setDefault(earlyStoppingPatience, 0);
        setDefault(beta1, OptimizerConfig.SGD.beta1());
        setDefault(beta2, OptimizerConfig.SGD.beta2());
        setDefault(weightDecay, 0.0);
        setDefault(dropout, 0.0);
        setDefault(sampling, "bernoulli");
        setDefault(featureScale, 1.0);
    }

    private MiniBatchNetClassifier(PendingUid token) {
        super();
        uid();
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take();
        }
        return uid;
    }

    // Public accessors are how Spark's Params finds the params (by reflection).
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public Param<String> activation() {
        return activation;
    }

    public Param<String> initializer() {
        return initializer;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public LongParam steps() {
        return steps;
    }

    public IntParam epochs() {
        return epochs;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam momentum() {
        return momentum;
    }

    public DoubleParam rho() {
        return rho;
    }

    public DoubleParam epsilon() {
        return epsilon;
    }

    public Param<String> lrSchedule() {
        return lrSchedule;
    }

    public LongParam lrDecaySteps() {
        return lrDecaySteps;
    }

    public DoubleParam lrDecayRate() {
        return lrDecayRate;
    }

    public DoubleParam lrMin() {
        return lrMin;
    }

    public LongParam warmupSteps() {
        return warmupSteps;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public IntParam earlyStoppingPatience() {
        return earlyStoppingPatience;
    }

    public DoubleParam beta1() {
        return beta1;
    }

    public DoubleParam beta2() {
        return beta2;
    }

    public DoubleParam weightDecay() {
        return weightDecay;
    }

    public DoubleParam dropout() {
        return dropout;
    }

    public Param<String> sampling() {
        return sampling;
    }

    public DoubleParam featureScale() {
        return featureScale;
    }

    public MiniBatchNetClassifier setHiddenLayers(int... value) {
        return put(hiddenLayers, value);
    }

    public MiniBatchNetClassifier setActivation(String value) {
        return put(activation, value);
    }

    public MiniBatchNetClassifier setInitializer(String value) {
        return put(initializer, value);
    }

    public MiniBatchNetClassifier setOptimizer(String value) {
        return put(optimizer, value);
    }

    public MiniBatchNetClassifier setLearningRate(double value) {
        return put(learningRate, value);
    }

    public MiniBatchNetClassifier setBatchSize(int value) {
        return put(batchSize, value);
    }

    public MiniBatchNetClassifier setSteps(long value) {
        return put(steps, value);
    }

    public MiniBatchNetClassifier setEpochs(int value) {
        return put(epochs, value);
    }

    public MiniBatchNetClassifier setSeed(long value) {
        return put(seed, value);
    }

    public MiniBatchNetClassifier setMomentum(double value) {
        return put(momentum, value);
    }

    public MiniBatchNetClassifier setRho(double value) {
        return put(rho, value);
    }

    public MiniBatchNetClassifier setEpsilon(double value) {
        return put(epsilon, value);
    }

    public MiniBatchNetClassifier setLrSchedule(String value) {
        return put(lrSchedule, value);
    }

    public MiniBatchNetClassifier setLrDecaySteps(long value) {
        return put(lrDecaySteps, value);
    }

    public MiniBatchNetClassifier setLrDecayRate(double value) {
        return put(lrDecayRate, value);
    }

    public MiniBatchNetClassifier setLrMin(double value) {
        return put(lrMin, value);
    }

    public MiniBatchNetClassifier setWarmupSteps(long value) {
        return put(warmupSteps, value);
    }

    public MiniBatchNetClassifier setValidationFraction(double value) {
        return put(validationFraction, value);
    }

    public MiniBatchNetClassifier setEarlyStoppingPatience(int value) {
        return put(earlyStoppingPatience, value);
    }

    public MiniBatchNetClassifier setBeta1(double value) {
        return put(beta1, value);
    }

    public MiniBatchNetClassifier setBeta2(double value) {
        return put(beta2, value);
    }

    public MiniBatchNetClassifier setWeightDecay(double value) {
        return put(weightDecay, value);
    }

    public MiniBatchNetClassifier setDropout(double value) {
        return put(dropout, value);
    }

    public MiniBatchNetClassifier setSampling(String value) {
        return put(sampling, value);
    }

    public MiniBatchNetClassifier setFeatureScale(double value) {
        return put(featureScale, value);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private MiniBatchNetClassifier put(Param param, Object value) {
        set(param, value);
        return this;
    }

    /** A param's value (set or default); Scala's primitive params are {@code Param<Object>} in Java. */
    @SuppressWarnings("unchecked")
    private <T> T value(Param<?> param) {
        return (T) $(param);
    }

    /** The training settings these params give, in the CLI's terms (its validation applies). */
    TrainingConfig config(int classes) {
        OptimizerConfig opt = new OptimizerConfig(OptimizerConfig.Kind.parse(value(optimizer)), value(momentum),
                value(rho), value(beta1), value(beta2), value(epsilon));
        ScheduleConfig schedule = new ScheduleConfig(ScheduleConfig.Kind.parse(value(lrSchedule)), value(lrDecaySteps),
                value(lrDecayRate), value(lrMin), value(warmupSteps));
        long stepCount = this.<Long>value(steps);
        return new TrainingConfig("(DataFrame)", DataFormat.AUTO, "(none)", null, value(hiddenLayers),
                Activation.parse(value(activation)), Initializer.parse(value(initializer)), value(batchSize), value(learningRate),
                opt, schedule, stepCount, stepCount > 0 ? 0 : value(epochs), value(seed), 0, classes,
                SamplingPath.RDD, value(sampling).equals("poisson"), value(weightDecay), value(dropout),
                value(validationFraction), value(earlyStoppingPatience), 1, false, 1e9, Map.of());
    }

    @Override
    public MiniBatchNetClassificationModel train(Dataset<?> dataset) {
        String labelCol = getLabelCol();
        String featuresCol = getFeaturesCol();
        Dataset<Row> rows = dataset.select(functions.col(labelCol).cast("double"), functions.col(featuresCol));
        Row stats = rows.agg(functions.max(functions.col(labelCol)), functions.min(functions.col(labelCol)),
                functions.count(functions.lit(1))).head();
        if (stats.getLong(2) == 0) {
            throw new IllegalArgumentException("the training DataFrame has no rows");
        }
        if (stats.isNullAt(0) || stats.getDouble(1) < 0) {
            throw new IllegalArgumentException("column " + labelCol + " must hold class indices 0..K-1 (found min "
                    + (stats.isNullAt(1) ? "null" : stats.getDouble(1)) + ")");
        }
        int classes = Math.max(2, (int) stats.getDouble(0) + 1);
        int inputs = rows.head().<Vector>getAs(1).size();
        double scale = value(featureScale);
        JavaRDD<LabeledImage> examples = rows.toJavaRDD().map(r -> example(r, inputs, scale));
        TrainingConfig config = config(classes);
        if (config.batchSize() > stats.getLong(2)) {
            throw new IllegalArgumentException("batchSize " + config.batchSize() + " is larger than the " + stats.getLong(2)
                    + " training rows");
        }
        NetworkShape shape = NetworkShape.of(inputs, config.hidden(), classes, config.activation());
        CachedImages cached = ImageCache.cache(examples);
        CachedImages validation = null;
        if (config.validationFraction() > 0) {
            CachedImages.Split split = TrainingJob.holdOut(cached, config);
            cached = split.rest();
            validation = split.held();
        }
        try {
            ProgressLog quiet = new ProgressLog(new PrintStream(java.io.OutputStream.nullOutputStream()), 1e9,
                    TrainingLoop.totalSteps(config, cached.count()));
            TrainingResult result = new TrainingLoop(cached, validation, null, shape, config, quiet, null,
                    TrainingLoop.Checkpointing.NONE).run();
            MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(uid, shape, result.params());
            return model.setFeatureScale(scale);
        } finally {
            cached.release();
            if (validation != null) {
                validation.release();
            }
        }
    }

    private static LabeledImage example(Row row, int inputs, double scale) {
        double label = row.getDouble(0);
        if (label != Math.rint(label) || label < 0) {
            throw new IllegalArgumentException("label " + label + " is not a class index 0..K-1");
        }
        Vector v = row.getAs(1);
        if (v.size() != inputs) {
            throw new IllegalArgumentException("a features vector has " + v.size() + " values, the first had " + inputs);
        }
        double[] x = v.toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        return LabeledImage.ofFeatures((int) label, x);
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
