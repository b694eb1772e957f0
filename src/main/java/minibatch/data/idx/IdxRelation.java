package minibatch.data.idx;

import minibatch.data.LabeledImage;
import minibatch.data.cache.FrameLayout;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.TableScan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of a validated {@link IdxImageSet} as a Spark SQL relation (what the {@code idx} data
 * source and the command line's IDX loading both create): executors read their own slices.
 */
public final class IdxRelation extends BaseRelation implements TableScan {
    /** The columns a relation gives. */
    public enum Layout {
        /** {@code (label int, pixels binary)}: {@link FrameLayout#PIXELS}, what the command line caches. */
        PIXELS,
        /** {@code (label double, features vector)}: raw pixel values 0..255, for Spark ML estimators. */
        FEATURES
    }

    private final SQLContext sqlContext;
    private final IdxImageSet images;
    private final int slices;
    private final Layout layout;

    /** {@code slices} partitions, each a contiguous run of rows in file order. */
    public IdxRelation(SQLContext sqlContext, IdxImageSet images, int slices, Layout layout) {
        this.sqlContext = sqlContext;
        this.images = images;
        this.slices = slices;
        this.layout = layout;
    }

    @Override
    public SQLContext sqlContext() {
        return sqlContext;
    }

    @Override
    public StructType schema() {
        return layout == Layout.PIXELS ? FrameLayout.PIXELS.schema()
                : new StructType().add(FrameLayout.LABEL, DataTypes.DoubleType, false)
                        .add(FrameLayout.FEATURES_COLUMN, SQLDataTypes.VectorType(), false);
    }

    @Override
    public long sizeInBytes() {
        return images.count() * (images.pixelsPerImage() * (layout == Layout.PIXELS ? 1L : Double.BYTES) + 16L);
    }

    @Override
    public RDD<Row> buildScan() {
        var rows = images.read(sqlContext.sparkSession(), slices);
        return (layout == Layout.PIXELS ? rows.map(FrameLayout::row) : rows.map(IdxRelation::featuresRow)).rdd();
    }

    private static Row featuresRow(LabeledImage image) {
        byte[] pixels = image.pixels();
        double[] values = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xff;
        }
        return RowFactory.create((double) image.label(), Vectors.dense(values));
    }
}
