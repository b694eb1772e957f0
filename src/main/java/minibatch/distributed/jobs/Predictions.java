package minibatch.distributed.jobs;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Network;
import minibatch.nn.Pass;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * A model's predictions for every row, as a DataFrame {@code (index long, label int (null for
 * unlabelled rows), prediction int, prob_0 double, ..., prob_{k-1} double)} in the rows' order,
 * computed on the executors.
 */
public final class Predictions {
    private Predictions() {
    }

    public static StructType schema(int classes) {
        StructType s = new StructType().add("index", DataTypes.LongType, false).add("label", DataTypes.IntegerType, true)
                .add("prediction", DataTypes.IntegerType, false);
        for (int k = 0; k < classes; k++) {
            s = s.add("prob_" + k, DataTypes.DoubleType, false);
        }
        return s;
    }

    /**
     * The predictions stay a distributed DataFrame (for Spark's writers), so this is a
     * {@code mapPartitions} rather than a {@link PartitionJob}, which collects to the driver; but with
     * a named function class, which the closure cleaner does not serialize a second time to check
     * it (see {@link PartitionJob}): the weights travel once, in the task.
     */
    public static Dataset<Row> of(SparkSession spark, CachedImages rows, Network shape, double[] params) {
        RDD<Tuple2<LabeledImage, Long>> indexed = rows.images().zipWithIndex().rdd();
        RDD<Row> out = indexed.mapPartitions(new PredictRows(shape, params), false, ClassTag$.MODULE$.apply(Row.class));
        return spark.createDataFrame(out.toJavaRDD(), schema(shape.classes()));
    }

    /** Runs on an executor: one partition's rows to their prediction rows, in order. */
    private static final class PredictRows
            extends AbstractFunction1<scala.collection.Iterator<Tuple2<LabeledImage, Long>>, scala.collection.Iterator<Row>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Network shape;
        private final double[] params;

        PredictRows(Network shape, double[] params) {
            this.shape = shape;
            this.params = params;
        }

        @Override
        public scala.collection.Iterator<Row> apply(scala.collection.Iterator<Tuple2<LabeledImage, Long>> rows) {
            return CollectionConverters.asScala(new Chunks(CollectionConverters.asJava(rows), shape, params));
        }
    }

    /**
     * The prediction rows of {@code MAX_ROWS} input rows at a time, each chunk through this thread's
     * {@link BatchBackprop} and copied out before the next, so only a chunk is held at once.
     */
    private static final class Chunks implements Iterator<Row> {
        private final Iterator<Tuple2<LabeledImage, Long>> rows;
        private final Network shape;
        private final double[] params;
        private final LabeledImage[] images = new LabeledImage[BatchBackprop.MAX_ROWS];
        private final long[] indices = new long[BatchBackprop.MAX_ROWS];
        private final Row[] chunk = new Row[BatchBackprop.MAX_ROWS];
        private int next;
        private int size;

        Chunks(Iterator<Tuple2<LabeledImage, Long>> rows, Network shape, double[] params) {
            this.rows = rows;
            this.shape = shape;
            this.params = params;
        }

        @Override
        public boolean hasNext() {
            if (next == size && rows.hasNext()) {
                fill();
            }
            return next < size;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = chunk[next];
            chunk[next++] = null;
            return row;
        }

        private void fill() {
            Pass pass = shape.passForThread();
            int classes = shape.classes();
            size = IndexedChunks.next(rows, pass, shape.inputs(), images, indices);
            next = 0;
            double[] probs = pass.forward(params, size);
            for (int r = 0; r < size; r++) {
                int label = images[r].label();
                Object[] values = new Object[3 + classes];
                values[0] = indices[r];
                values[1] = label < 0 ? null : label;
                values[2] = pass.predictedClass(r);
                for (int k = 0; k < classes; k++) {
                    values[3 + k] = probs[r * classes + k];
                }
                chunk[r] = RowFactory.create(values);
                images[r] = null;
            }
        }
    }
}
