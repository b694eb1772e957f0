package minibatch.data.table;

import java.util.ArrayList;
import java.util.List;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Image sets as Spark DataFrames in the layouts other tools expect: {@code (label, features)}
 * with an ML {@code Vector} of raw pixel values 0..255 (Spark ML, Parquet, LibSVM), or Kaggle's
 * {@code label,pixel0,...} columns (CSV). Rows keep the source's canonical order; part files are
 * numbered in that order, so reading a copy back gives the same rows in the same order.
 */
public final class TableExport {
    private TableExport() {
    }

    /** {@code (label int, features vector)}: label null for unlabelled rows; sparse or dense, whichever is smaller. */
    public static Dataset<Row> features(SparkSession spark, ImageSource source, int partitions) {
        JavaRDD<Row> rows = source.read(spark, partitions).map(image -> RowFactory.create(
                image.label() < 0 ? null : image.label(), vector(image.pixels())));
        StructType schema = new StructType().add("label", DataTypes.IntegerType, true)
                .add("features", SQLDataTypes.VectorType(), false);
        return spark.createDataFrame(rows, schema);
    }

    /** The pixels {@code [rows·cols]} (unsigned bytes) as raw values 0..255. */
    public static Vector vector(byte[] pixels) {
        double[] values = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xFF;
        }
        return Vectors.dense(values).compressed();
    }

    /** Writes {@code source} at {@code path} in {@code format} (CSV, Parquet or LibSVM), one file per partition. */
    public static void write(SparkSession spark, ImageSource source, int partitions, DataFormat format, String path) {
        spark.sparkContext().setJobDescription("write " + path);
        try {
            switch (format) {
                case PARQUET -> features(spark, source, partitions).write().parquet(path);
                case CSV -> kaggle(spark, source, partitions).write().option("header", "true").csv(path);
                case LIBSVM -> libsvm(spark, source, partitions).write().format("libsvm").save(path);
                default -> throw new IllegalArgumentException("cannot write " + format);
            }
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    /** Kaggle's layout: {@code label, pixel0, ..., pixel{n-1}}, all integers. */
    private static Dataset<Row> kaggle(SparkSession spark, ImageSource source, int partitions) {
        int n = source.pixelsPerImage();
        StructType schema = new StructType().add("label", DataTypes.IntegerType, true);
        for (int i = 0; i < n; i++) {
            schema = schema.add("pixel" + i, DataTypes.IntegerType, false);
        }
        JavaRDD<Row> rows = source.read(spark, partitions).map(image -> {
            Object[] values = new Object[n + 1];
            values[0] = image.label() < 0 ? null : image.label();
            for (int i = 0; i < n; i++) {
                values[i + 1] = image.pixels()[i] & 0xFF;
            }
            return RowFactory.create(values);
        });
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Spark's LibSVM writer needs {@code label double}; every row also names its last pixel (even
     * when 0), so a reader that infers the feature count from the largest index gets it right.
     */
    private static Dataset<Row> libsvm(SparkSession spark, ImageSource source, int partitions) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        JavaRDD<Row> rows = source.read(spark, partitions).map(image -> {
            byte[] p = image.pixels();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < p.length - 1; i++) {
                if (p[i] != 0) {
                    idx.add(i);
                }
            }
            idx.add(p.length - 1);
            int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
            double[] values = new double[indices.length];
            for (int k = 0; k < indices.length; k++) {
                values[k] = p[indices[k]] & 0xFF;
            }
            return RowFactory.create((double) Math.max(0, image.label()), Vectors.sparse(p.length, indices, values));
        });
        return spark.createDataFrame(rows, schema);
    }
}
