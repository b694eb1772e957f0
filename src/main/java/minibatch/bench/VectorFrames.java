package minibatch.bench;

import minibatch.data.CachedImages;
import minibatch.data.LabeledImage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The layout a Spark ML user starts from: {@code (label double, features vector)} with pixels
 * scaled to [0,1] as doubles (784 × 8 bytes a row). Used by the naive loop and by MLlib.
 */
final class VectorFrames {
    static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);

    private VectorFrames() {
    }

    /** A cached, materialized vector DataFrame of the same rows. */
    static Dataset<Row> of(SparkSession spark, CachedImages images) {
        Dataset<Row> df = spark.createDataFrame(images.all().map(VectorFrames::row), SCHEMA).cache();
        df.count();
        return df;
    }

    private static Row row(LabeledImage image) {
        byte[] px = image.pixels();
        double[] x = new double[px.length];
        minibatch.nn.Pixels.scale(px, x);
        return RowFactory.create((double) image.label(), Vectors.dense(x));
    }
}
