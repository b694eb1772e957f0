package minibatch.distributed;

import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One Spark job over a DataFrame that returns one partial sum per partition, merged on the driver
 * <em>in partition order</em>. A fixed merge order makes floating-point totals, and so whole
 * training runs, bit-reproducible (an RDD {@code reduce} merges in arrival order).
 */
final class PartitionSums {
    private PartitionSums() {
    }

    /**
     * @param rows        the (sampled or full) DataFrame in {@code LabeledImageSchema} layout
     * @param perPartition returns exactly one partial sum per partition
     * @param merge       adds its second argument into its first and returns the first
     * @param empty       the total when there are no partitions
     */
    static <T> T sum(Dataset<Row> rows, FlatMapFunction<Iterator<InternalRow>, T> perPartition,
                     BinaryOperator<T> merge, T empty, String jobDescription) {
        var sc = rows.sparkSession().sparkContext();
        sc.setJobDescription(jobDescription);
        try {
            // toRdd() hands out Spark's internal rows: no conversion to external Row objects.
            List<T> parts = rows.queryExecution().toRdd().toJavaRDD().mapPartitions(perPartition).collect();
            T total = empty;
            for (T part : parts) {
                total = merge.apply(total, part);
            }
            return total;
        } finally {
            sc.setJobDescription(null);
        }
    }
}
