package minibatch.ml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.data.idx.MnistFiles;
import minibatch.distributed.jobs.Predictions;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.Initializer;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same weights give the same probabilities on every prediction path: Spark ML's
 * {@code transform} ({@code predictRaw}, one row per call), the {@code predict} command's
 * {@link Predictions} (batches of rows) and the row-by-row reference {@link Backprop}. With the row
 * kernel on every layer all three share their arithmetic, so they agree bit for bit; a
 * {@code dgemm} layer rounds in the BLAS's order for the batch's size, so there they agree to 1e-12.
 */
@ExtendWith(LocalSpark.class)
class PredictionPathsTest {
    private static final int CLASSES = 4;

    @TempDir
    Path dir;

    private CachedImages rows(SparkSession spark) throws IOException {
        IdxFixtures.writeMnistLayout(dir, IdxFixtures.synthetic(300, 6, 6, CLASSES, 41),
                IdxFixtures.synthetic(5, 6, 6, CLASSES, 42), false);
        return CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), CLASSES), 3, "test");
    }

    @Test
    void withTheRowKernelEveryPathGivesTheSameBits(SparkSession spark) throws IOException {
        NetworkShape shape = NetworkShape.of(36, new int[] {9}, CLASSES, Activation.SIGMOID);
        assertTrue(List.of(LayerKernel.of(shape)).stream().allMatch(k -> k == LayerKernel.SPARSE_ROWS));
        compare(spark, shape, Initializer.standardNormal(shape, new SplittableRandom(5)), 0.0);
    }

    @Test
    void withADgemmLayerThePathsAgreeTo1e12(SparkSession spark) throws IOException {
        NetworkShape shape = NetworkShape.of(36, new int[] {130, 128}, CLASSES, Activation.RELU);
        assertEquals(LayerKernel.DENSE_GEMM, LayerKernel.of(shape)[1]);
        compare(spark, shape, Initializer.HE.initialize(shape, new SplittableRandom(6)), 1e-12);
    }

    /** Every row's probabilities (and logits, and predicted class) on the three paths, within {@code tolerance}. */
    private void compare(SparkSession spark, NetworkShape shape, double[] params, double tolerance) throws IOException {
        CachedImages rows = rows(spark);
        try {
            List<LabeledImage> images = rows.images().collect();
            List<Row> batch = Predictions.of(spark, rows, shape, params).collectAsList();
            List<Row> ml = MiniBatchNetClassificationModel.ofPixels(shape, params)
                    .transform(features(spark, images)).select("rawPrediction", "probability", "prediction")
                    .collectAsList();
            assertEquals(images.size(), batch.size());
            assertEquals(images.size(), ml.size());
            Backprop reference = new Backprop(shape);
            for (int i = 0; i < images.size(); i++) {
                images.get(i).input(reference.input());
                double[] logits = reference.logits(params).clone();
                double[] probs = reference.forward(params).clone();
                double[] batchProbs = new double[CLASSES];
                for (int k = 0; k < CLASSES; k++) {
                    batchProbs[k] = batch.get(i).getDouble(3 + k);
                }
                assertEquals(i, batch.get(i).getLong(0), "rows in order");
                assertArrayEquals(probs, batchProbs, tolerance, "Predictions, row " + i);
                assertArrayEquals(logits, ml.get(i).<Vector>getAs(0).toArray(), tolerance, "predictRaw, row " + i);
                assertArrayEquals(probs, ml.get(i).<Vector>getAs(1).toArray(), tolerance, "transform, row " + i);
                assertArrayEquals(batchProbs, ml.get(i).<Vector>getAs(1).toArray(), tolerance,
                        "transform against Predictions, row " + i);
                assertEquals(reference.predictedClass(), batch.get(i).getInt(2), "Predictions' class, row " + i);
                assertEquals(reference.predictedClass(), (int) ml.get(i).getDouble(2), "transform's class, row " + i);
            }
        } finally {
            rows.release();
        }
    }

    /** The images as a Spark ML user holds them: raw pixel values 0..255 in a features vector, in order. */
    private static org.apache.spark.sql.Dataset<Row> features(SparkSession spark, List<LabeledImage> images) {
        List<Row> rows = new ArrayList<>();
        for (LabeledImage image : images) {
            double[] x = new double[image.pixels().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = image.pixels()[i] & 0xff;
            }
            rows.add(RowFactory.create(Vectors.dense(x)));
        }
        return spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType(), false));
    }
}
