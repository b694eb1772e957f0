package minibatch.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import minibatch.model.ModelReader;
import minibatch.model.ModelWriter;
import minibatch.model.OnnxExport;
import minibatch.model.SavedModel;
import minibatch.nn.Network;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pass;
import minibatch.nn.Pixels;
import minibatch.nn.SoftmaxCrossEntropy;
import minibatch.training.TrainingResult;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A trained network as a Spark ML model: adds {@code rawPrediction} (the output layer's logits),
 * {@code probability} (their softmax) and {@code prediction} columns from the {@code features}
 * vector, multiplied by {@code featureScale} first. Saved in Spark ML's layout:
 * {@code metadata/} (class, uid and params, Spark's JSON) and {@code data/} ({@code model.json}
 * with the shape and SHA-256, {@code weights.bin} raw little-endian doubles; never Java
 * serialization). Runs written by {@code submit.sh train} hold one in {@code model/}.
 */
public final class MiniBatchNetClassificationModel
        extends ProbabilisticClassificationModel<Vector, MiniBatchNetClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    /** Set by the first {@link #uid()} call, made by Spark's constructors (see {@link PendingUid}). */
    private String uid;
    private final Network shape;
    private final double[] params;
    private final DoubleParam featureScale;
    /** The name of each class ({@code [classes]}), empty where the training data only numbered them. */
    private java.util.List<String> classNames = java.util.List.of();
    /** Values per pixel of the inputs the network was trained on: 1 (gray) or 3 (R, G, B, channels last). */
    private int inputChannels = 1;
    /** What the model remembers of its training, or null (kept on the driver: not shipped with tasks). */
    private transient MiniBatchNetTrainingSummary summary;
    /** One single-row pass per thread of an executor, made on first use: Spark ML hands rows over one at a time. */
    private transient ThreadLocal<Pass> passes;

    /**
     * @param params flat parameters ({@code [shape.parameterCount()]}), per layer W then b
     */
    public MiniBatchNetClassificationModel(String uid, Network shape, double[] params) {
        this(PendingUid.stash(uid), shape, params);
    }

    private MiniBatchNetClassificationModel(PendingUid token, Network shape, double[] params) {
        super();
        uid();
        this.shape = shape;
        this.params = params.clone();
        this.featureScale = new DoubleParam(this, "featureScale", MiniBatchNetParams.FEATURE_SCALE_DOC,
                ParamValidators.gt(0.0));
        setDefault(featureScale, 1.0);
    }

    /** A CLI-trained network: pixels 0..255 are scaled by 1/255 as in training. */
    public static MiniBatchNetClassificationModel ofPixels(Network shape, double[] params) {
        MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(
                Identifiable.randomUID("minibatchnet"), shape, params);
        return model.setFeatureScale(Pixels.SCALE);
    }

    /** This model with {@code summary} attached; returns this. */
    MiniBatchNetClassificationModel withSummary(MiniBatchNetTrainingSummary summary) {
        this.summary = summary;
        return this;
    }

    /** A CLI run's model: the network, the 1/255 pixel scale, the class names and the training summary of {@code result}. */
    public static MiniBatchNetClassificationModel ofRun(TrainingResult result) {
        return ofPixels(result.shape(), result.params()).withInput(result.classNames(), result.inputChannels())
                .withSummary(MiniBatchNetTrainingSummary.of(result));
    }

    /**
     * The name of each class ({@code [numClasses]}): label (and prediction) k stands for class
     * {@code classNames().get(k)}. Empty where the training data only numbered the classes.
     */
    public java.util.List<String> classNames() {
        return classNames;
    }

    /**
     * Values per pixel of the images the network was trained on: 1 for gray, 3 when the features are
     * R, G, B per pixel (channels last). Informational for Spark ML; the command line uses it.
     */
    public int inputChannels() {
        return inputChannels;
    }

    /** This model with {@code names} as its class names ({@code [numClasses]}, or empty); returns this. */
    public MiniBatchNetClassificationModel withClassNames(java.util.List<String> names) {
        return withInput(names, inputChannels);
    }

    /** This model with these class names and values per pixel (see {@link #inputChannels()}); returns this. */
    MiniBatchNetClassificationModel withInput(java.util.List<String> names, int channels) {
        SavedModel checked = new SavedModel(shape, params, names, channels);
        this.classNames = checked.classNames();
        this.inputChannels = channels;
        return this;
    }

    /** True when the model knows its training: fitted here, or saved with a summary and loaded. */
    public boolean hasSummary() {
        return summary != null;
    }

    /**
     * The per-step mean loss and per-evaluation metrics of the training that made this model.
     *
     * @throws IllegalStateException when there is none ({@link #hasSummary})
     */
    public MiniBatchNetTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("No training summary available for this " + getClass().getSimpleName());
        }
        return summary;
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.take();
        }
        return uid;
    }

    public DoubleParam featureScale() {
        return featureScale;
    }

    public double getFeatureScale() {
        return (Double) $(featureScale);
    }

    public MiniBatchNetClassificationModel setFeatureScale(double value) {
        set(featureScale, value);
        return this;
    }

    /** Layer sizes, input first, e.g. {@code [784, 50, 10]}; of a layer stack ({@link #shape()}), input and output. */
    public int[] layers() {
        return shape instanceof NetworkShape dense ? dense.sizes() : new int[] {shape.inputs(), shape.classes()};
    }

    public Network shape() {
        return shape;
    }

    /** A copy of the flat parameters ({@code [parameterCount]}). */
    public double[] weights() {
        return params.clone();
    }

    @Override
    public int numClasses() {
        return shape.classes();
    }

    @Override
    public int numFeatures() {
        return shape.inputs();
    }

    @Override
    public Vector predictRaw(Vector features) {
        if (features.size() != shape.inputs()) {
            throw new IllegalArgumentException("features has " + features.size() + " values, the network " + shape
                    + " expects " + shape.inputs());
        }
        if (passes == null) {
            passes = ThreadLocal.withInitial(shape::oneRowPass);
        }
        Pass pass = passes.get();
        double[] input = pass.input();
        double scale = getFeatureScale();
        double[] values = features.toArray();
        for (int i = 0; i < values.length; i++) {
            input[i] = values[i] * scale;
        }
        return Vectors.dense(java.util.Arrays.copyOf(pass.logits(params, 1), shape.classes()));
    }

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        double[] values = ((DenseVector) rawPrediction).values();
        SoftmaxCrossEntropy.softmax(values, values, values.length);
        return rawPrediction;
    }

    /**
     * Spark declares this twice with different generic return types (ClassificationModel and
     * ProbabilisticClassificationModel); Java needs the raw type to override both.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public MiniBatchNetClassificationModel copy(ParamMap extra) {
        return copyValues(new MiniBatchNetClassificationModel(uid, shape, params), extra).withInput(classNames, inputChannels)
                .withSummary(summary)
                .setParent(parent());
    }

    /**
     * Writes this model as an ONNX file at {@code path} (any Hadoop path; an existing file is
     * replaced): input {@code features} float32 {@code [N × numFeatures]}, taking what this model's
     * features column takes ({@link #getFeatureScale()} is a node of the graph), outputs
     * {@code probability} float32 {@code [N × numClasses]} and {@code label} int64 {@code [N]}.
     * See {@link OnnxExport}.
     */
    public void exportOnnx(String path) throws IOException {
        var conf = org.apache.spark.sql.SparkSession.getActiveSession().isDefined()
                ? org.apache.spark.sql.SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration()
                : new org.apache.hadoop.conf.Configuration();
        OnnxExport.write(new SavedModel(shape, params, classNames, inputChannels), getFeatureScale(), new Path(path), conf);
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<MiniBatchNetClassificationModel> read() {
        return new Reader();
    }

    public static MiniBatchNetClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "MiniBatchNetClassificationModel: uid=" + uid + ", network " + shape;
    }

    /** Spark's metadata JSON, then the network as data. */
    private static final class Writer extends MLWriter {
        private final MiniBatchNetClassificationModel model;

        Writer(MiniBatchNetClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            try {
                var hadoop = sparkSession().sparkContext().hadoopConfiguration();
                ModelWriter.write(new SavedModel(model.shape, model.params, model.classNames, model.inputChannels), new Path(path, "data"), hadoop);
                if (model.summary != null) {
                    model.summary.write(new Path(path, "data"), hadoop);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the model to " + path, e);
            }
        }
    }

    private static final class Reader extends MLReader<MiniBatchNetClassificationModel> {
        @Override
        public MiniBatchNetClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    MiniBatchNetClassificationModel.class.getName());
            var hadoop = sparkSession().sparkContext().hadoopConfiguration();
            SavedModel saved = ModelReader.read(new Path(path, "data"), hadoop);
            MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(metadata.uid(), saved.shape(),
                    saved.params()).withInput(saved.classNames(), saved.inputChannels());
            try {
                model.withSummary(MiniBatchNetTrainingSummary.read(new Path(path, "data"), hadoop));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training summary of " + path, e);
            }
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
