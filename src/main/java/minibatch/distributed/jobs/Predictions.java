package minibatch.distributed.jobs;

import java.util.ArrayList;
import java.util.List;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.nn.Backprop;
import minibatch.nn.NetworkShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A model's predictions for every row, as a DataFrame {@code (index long, label int (null for
 * unlabelled rows), prediction
 * int, prob_0 double, ..., prob_{k-1} double)} in the rows' order, computed on the executors.
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

    public static Dataset<Row> of(SparkSession spark, CachedImages rows, NetworkShape shape, double[] params) {
        JavaRDD<Tuple2<LabeledImage, Long>> indexed = rows.images().zipWithIndex().rdd().toJavaRDD();
        JavaRDD<Row> out = indexed.mapPartitions(it -> {
            Backprop pass = new Backprop(shape);
            List<Row> result = new ArrayList<>();
            while (it.hasNext()) {
                Tuple2<LabeledImage, Long> t = it.next();
                LabeledImage image = t._1();
                image.input(pass.input());
                double[] probs = pass.forward(params);
                Object[] values = new Object[3 + probs.length];
                values[0] = t._2();
                values[1] = image.label() < 0 ? null : image.label();
                values[2] = pass.predictedClass();
                for (int k = 0; k < probs.length; k++) {
                    values[3 + k] = probs[k];
                }
                result.add(RowFactory.create(values));
            }
            return result.iterator();
        });
        return spark.createDataFrame(out, schema(shape.classes()));
    }
}
