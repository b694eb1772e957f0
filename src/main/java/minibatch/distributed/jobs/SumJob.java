package minibatch.distributed.jobs;

import java.util.List;
import java.util.function.BinaryOperator;
import minibatch.distributed.profile.StepProfile;
import minibatch.distributed.sums.PartitionFunction;
import org.apache.spark.rdd.RDD;

/**
 * One Spark job that returns one partial sum per partition, merged on the driver <em>in partition
 * order</em>. A fixed merge order makes floating-point totals, and so whole training runs,
 * bit-reproducible (an RDD {@code reduce} merges in arrival order).
 */
final class SumJob {
    private SumJob() {
    }

    /**
     * @param rows         the (sampled or full) rows
     * @param perPartition the partial sum of one partition, given its index
     * @param merge        adds its second argument into its first and returns the first
     * @param empty        the total when there are no partitions
     */
    static <R, T> T sum(RDD<R> rows, PartitionFunction<R, T> perPartition, BinaryOperator<T> merge, T empty,
                        String jobDescription) {
        return sum(rows, perPartition, merge, empty, jobDescription, null);
    }

    /** {@code empty} with {@code parts} merged into it one by one, in the list's (partition) order. */
    static <T> T inPartitionOrder(List<T> parts, BinaryOperator<T> merge, T empty) {
        T total = empty;
        for (T part : parts) {
            total = merge.apply(total, part);
        }
        return total;
    }

    /** As above, adding the job's and the merge's driver times to {@code profile} if not null. */
    static <R, T> T sum(RDD<R> rows, PartitionFunction<R, T> perPartition, BinaryOperator<T> merge, T empty,
                        String jobDescription, StepProfile profile) {
        var sc = rows.context();
        sc.setJobDescription(jobDescription);
        try {
            long t0 = System.nanoTime();
            List<T> parts = PartitionJob.run(rows, perPartition);
            long t1 = System.nanoTime();
            T total = inPartitionOrder(parts, merge, empty);
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
