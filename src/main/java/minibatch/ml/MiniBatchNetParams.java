package minibatch.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import minibatch.config.OptimizerConfig;
import minibatch.config.ScheduleConfig;
import minibatch.config.StepMode;
import minibatch.config.TrainDefaults;
import minibatch.config.TrainingConfig;
import minibatch.data.DataFormat;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import scala.Function1;

/**
 * The params of {@link MiniBatchNetClassifier}, as Spark's {@code MultilayerPerceptronParams} are
 * kept apart from its estimator: each param, its validator, and its default. Every default that
 * {@code submit.sh train} also has comes from the same {@code conf/train.properties}
 * ({@link TrainDefaults}), so the two front doors cannot drift; {@link #config} turns the params
 * into the one validated {@link TrainingConfig} both train with.
 */
public abstract class MiniBatchNetParams
        extends ProbabilisticClassifier<Vector, MiniBatchNetClassifier, MiniBatchNetClassificationModel> {
    private static final long serialVersionUID = 1L;

    /**
     * The conf key each estimator param takes its default from (params not listed have none in
     * the file: featureScale, whose default 1.0 passes features as they are).
     */
    static final Map<String, String> CONF_KEYS = Map.ofEntries(
            Map.entry("hiddenLayers", "hidden"), Map.entry("activation", "activation"), Map.entry("initializer", "init"),
            Map.entry("optimizer", "optimizer"), Map.entry("learningRate", "learning-rate"),
            Map.entry("batchSize", "batch-size"), Map.entry("steps", "steps"), Map.entry("seed", "seed"),
            Map.entry("momentum", "momentum"), Map.entry("rho", "rho"), Map.entry("epsilon", "epsilon"),
            Map.entry("beta1", "beta1"), Map.entry("beta2", "beta2"), Map.entry("lrSchedule", "lr-schedule"),
            Map.entry("lrDecaySteps", "lr-decay-steps"), Map.entry("lrDecayRate", "lr-decay-rate"),
            Map.entry("lrMin", "lr-min"), Map.entry("warmupSteps", "warmup-steps"),
            Map.entry("validationFraction", "validation-fraction"),
            Map.entry("earlyStoppingPatience", "early-stopping-patience"), Map.entry("weightDecay", "weight-decay"),
            Map.entry("dropout", "dropout"), Map.entry("sampling", "sampling"), Map.entry("sampler", "sampler"));

    /** What {@code featureScale} means, for the estimator's param and the model's. */
    static final String FEATURE_SCALE_DOC =
            "factor applied to every feature before the network (1/255 for raw pixel values 0..255)";

    /** Set by the first {@link #uid()} call, made by Spark's constructors (see {@link PendingUid}). */
    private String uid;
    private IntArrayParam hiddenLayers;
    private Param<String> activation;
    private Param<String> layers;
    private Param<String> imageShape;
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
    private Param<String> sampler;
    private DoubleParam featureScale;

    MiniBatchNetParams(PendingUid token) {
        super();
        uid();
        // Params need the uid, so they are made here rather than in field initializers.
        Function1<int[], Object> positiveSizes = (Function1<int[], Object> & Serializable)
                sizes -> sizes.length > 0 && Arrays.stream(sizes).allMatch(s -> s > 0);
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "hidden layer widths, e.g. [50]", positiveSizes);
        activation = ChoiceParam.of(this, "activation", "hidden activation: sigmoid, relu, tanh or step",
                "sigmoid", "relu", "tanh", "step");
        layers = FeatureNetwork.layersParam(this);
        imageShape = FeatureNetwork.imageShapeParam(this);
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
        sampler = ChoiceParam.of(this, "sampler", "how the steps run, all with Dataset.sample's rows and the same numbers: "
                + "auto (resident barrier tasks where the cluster can run them, else one job per step), barrier or dataframe",
                "auto", "barrier", "dataframe");
        featureScale = new DoubleParam(this, "featureScale", FEATURE_SCALE_DOC, ParamValidators.gt(0.0));
        setDefault(hiddenLayers, Arrays.stream(conf(hiddenLayers).split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray());
        setDefault(layers, "");
        setDefault(imageShape, "");
        for (Param<String> word : java.util.List.of(activation, initializer, optimizer, lrSchedule, sampling, sampler)) {
            setDefault(word, conf(word));
        }
        for (DoubleParam real : java.util.List.of(learningRate, momentum, rho, epsilon, beta1, beta2, lrDecayRate, lrMin,
                validationFraction, weightDecay, dropout)) {
            setDefault(real, Double.parseDouble(conf(real)));
        }
        for (IntParam whole : java.util.List.of(batchSize, earlyStoppingPatience)) {
            setDefault(whole, Integer.parseInt(conf(whole)));
        }
        for (LongParam whole : java.util.List.of(steps, seed, lrDecaySteps, warmupSteps)) {
            setDefault(whole, Long.parseLong(conf(whole)));
        }
        setDefault(epochs, 0);
        setDefault(featureScale, 1.0);
    }

    private static String conf(Param<?> param) {
        return TrainDefaults.require(CONF_KEYS.get(param.name()));
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

    public Param<String> layers() {
        return layers;
    }

    public Param<String> imageShape() {
        return imageShape;
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

    public Param<String> sampler() {
        return sampler;
    }

    public DoubleParam featureScale() {
        return featureScale;
    }

    /** A param's value (set or default); Scala's primitive params are {@code Param<Object>} in Java. */
    @SuppressWarnings("unchecked")
    <T> T value(Param<?> param) {
        return (T) $(param);
    }

    /** The training settings these params give, in the CLI's terms (its validation applies). */
    TrainingConfig config(int classes) {
        FeatureNetwork.requireNoDropout(value(layers), value(dropout));
        OptimizerConfig opt = new OptimizerConfig(OptimizerConfig.Kind.parse(value(optimizer)), value(momentum),
                value(rho), value(beta1), value(beta2), value(epsilon));
        ScheduleConfig schedule = new ScheduleConfig(ScheduleConfig.Kind.parse(value(lrSchedule)), value(lrDecaySteps),
                value(lrDecayRate), value(lrMin), value(warmupSteps));
        long stepCount = this.<Long>value(steps);
        return new TrainingConfig("(DataFrame)", DataFormat.AUTO, "(none)", null, value(hiddenLayers),
                Activation.parse(value(activation)), Initializer.parse(value(initializer)), value(batchSize), value(learningRate),
                opt, schedule, stepCount, stepCount > 0 ? 0 : value(epochs), value(seed), 0, classes,
                StepMode.parse(value(sampler)), value(sampling).equals("poisson"), value(weightDecay), value(dropout),
                value(validationFraction), value(earlyStoppingPatience), 1, 1, false, 1e9, Map.of(),
                this.<String>value(layers).isEmpty() ? null : value(layers));
    }
}
