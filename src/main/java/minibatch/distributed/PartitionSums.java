package minibatch.distributed;

import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

/**
 * One Spark job that returns one partial sum per partition, merged on the driver <em>in partition
 * order</em>. A fixed merge order makes floating-point totals, and so whole training runs,
 * bit-reproducible (an RDD {@code reduce} merges in arrival order).
 */
final class PartitionSums {
    private PartitionSums() {
    }

    /**
     * @param rows         the (sampled or full) rows
     * @param perPartition returns exactly one partial sum per partition, given its index
     * @param merge        adds its second argument into its first and returns the first
     * @param empty        the total when there are no partitions
     */
    static <T> T sum(JavaRDD<LabeledImage> rows, Function2<Integer, Iterator<LabeledImage>, Iterator<T>> perPartition,
                     BinaryOperator<T> merge, T empty, String jobDescription) {
        return sum(rows, perPartition, merge, empty, jobDescription, null);
    }

    /** As above, adding the job's and the merge's driver times to {@code profile} if not null. */
    static <T> T sum(JavaRDD<LabeledImage> rows, Function2<Integer, Iterator<LabeledImage>, Iterator<T>> perPartition,
                     BinaryOperator<T> merge, T empty, String jobDescription, StepProfile profile) {
        var sc = rows.context();
        sc.setJobDescription(jobDescription);
        try {
            long t0 = System.nanoTime();
            List<T> parts = rows.mapPartitionsWithIndex(perPartition, false).collect();
            long t1 = System.nanoTime();
            T total = empty;
            for (T part : parts) {
                total = merge.apply(total, part);
            }
            if (profile != null) {
                profile.add(StepProfile.Phase.SPARK_JOB, t1 - t0);
                profile.add(StepProfile.Phase.MERGE, System.nanoTime() - t1);
            }
            return total;
        } finally {
            sc.setJobDescription(null);
        }
    }
}
