package minibatch.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import minibatch.model.ModelReader;
import minibatch.model.ModelWriter;
import minibatch.model.SavedModel;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import minibatch.nn.SoftmaxCrossEntropy;
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
    /** The scale the CLI trains with: raw pixel values 0..255 to [0, 1]. */
    public static final double PIXEL_SCALE = 1.0 / 255.0;

    /** Set by the first {@link #uid()} call, made by Spark's constructors (see {@link PendingUid}). */
    private String uid;
    private final NetworkShape shape;
    private final double[] params;
    private final DoubleParam featureScale;
    /** One forward-pass buffer per thread of an executor, made on first use. */
    private transient ThreadLocal<Backprop> passes;

    /**
     * @param params flat parameters ({@code [shape.parameterCount()]}), per layer W then b
     */
    public MiniBatchNetClassificationModel(String uid, NetworkShape shape, double[] params) {
        this(PendingUid.stash(uid), shape, params);
    }

    private MiniBatchNetClassificationModel(PendingUid token, NetworkShape shape, double[] params) {
        super();
        uid();
        this.shape = shape;
        this.params = params.clone();
        this.featureScale = new DoubleParam(this, "featureScale",
                "factor applied to every feature before the network (1/255 for raw pixel values 0..255)",
                ParamValidators.gt(0.0));
        setDefault(featureScale, 1.0);
    }

    /** A CLI-trained network: pixels 0..255 are scaled by 1/255 as in training. */
    public static MiniBatchNetClassificationModel ofPixels(NetworkShape shape, double[] params) {
        MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(
                Identifiable.randomUID("minibatchnet"), shape, params);
        return model.setFeatureScale(PIXEL_SCALE);
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

    /** Layer sizes, input first, e.g. {@code [784, 50, 10]}. */
    public int[] layers() {
        return shape.sizes();
    }

    public NetworkShape shape() {
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
            passes = ThreadLocal.withInitial(() -> new Backprop(shape));
        }
        Backprop pass = passes.get();
        double[] input = pass.input();
        double scale = getFeatureScale();
        double[] values = features.toArray();
        for (int i = 0; i < values.length; i++) {
            input[i] = values[i] * scale;
        }
        return Vectors.dense(pass.logits(params).clone());
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
        return copyValues(new MiniBatchNetClassificationModel(uid, shape, params), extra).setParent(parent());
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
                ModelWriter.write(new SavedModel(model.shape, model.params), new Path(path, "data"),
                        sparkSession().sparkContext().hadoopConfiguration());
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
            SavedModel saved = ModelReader.read(new Path(path, "data"), sparkSession().sparkContext().hadoopConfiguration());
            MiniBatchNetClassificationModel model = new MiniBatchNetClassificationModel(metadata.uid(), saved.shape(),
                    saved.params());
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
