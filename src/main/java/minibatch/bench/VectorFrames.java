package minibatch.bench;

import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.nn.Pixels;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The layout a Spark ML user starts from: {@code (label double, features vector)}, 784 × 8 bytes a
 * row: pixels scaled to [0,1] (the naive loop and MLlib) or raw 0..255 (our estimator, with
 * {@code featureScale} 1/255).
 */
final class VectorFrames {
    static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);

    private VectorFrames() {
    }

    /** A cached, materialized vector DataFrame of the same rows, in the same partitions. */
    static Dataset<Row> of(SparkSession spark, CachedImages images, boolean scaled) {
        Dataset<Row> df = spark.createDataFrame(images.images().map(image -> row(image, scaled)), SCHEMA).cache();
        df.count();
        return df;
    }

    private static Row row(LabeledImage image, boolean scaled) {
        byte[] px = image.pixels();
        double[] x = new double[px.length];
        if (scaled) {
            Pixels.scale(px, x);
        } else {
            for (int i = 0; i < px.length; i++) {
                x[i] = px[i] & 0xff;
            }
        }
        return RowFactory.create((double) image.label(), Vectors.dense(x));
    }
}
