package minibatch.distributed.jobs;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import minibatch.distributed.sums.PartitionFunction;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One Spark job, one task per partition, one result per task, through {@code SparkContext.runJob}.
 *
 * <p>Why not {@code mapPartitionsWithIndex(...).collect()}: both wrap the function in Scala
 * lambdas, and Spark's closure cleaner then reads those lambdas' class files with ASM and
 * serializes the whole closure once more to check it, on every call. With the weights in the
 * closure that is a second serialization of every step's weights on the driver. A named function
 * class is not a closure to the cleaner, so the task binary is the only serialization.
 *
 * @param <R> row type
 * @param <T> per-partition result type
 */
public final class PartitionJob<R, T> extends AbstractFunction2<TaskContext, Iterator<R>, T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PartitionFunction<R, T> function;

    private PartitionJob(PartitionFunction<R, T> function) {
        this.function = function;
    }

    @Override
    public T apply(TaskContext context, Iterator<R> rows) {
        return function.apply(context.partitionId(), CollectionConverters.asJava(rows));
    }

    /** Runs {@code function} on every partition of {@code rdd}; the results in partition order. */
    public static <R, T> List<T> run(RDD<R> rdd, PartitionFunction<R, T> function) {
        int partitions = rdd.getNumPartitions();
        Object[] results = new Object[partitions];
        List<Object> ids = IntStream.range(0, partitions).boxed().map(Object.class::cast).toList();
        @SuppressWarnings("unchecked")
        ClassTag<T> tag = (ClassTag<T>) ClassTag$.MODULE$.AnyRef();
        rdd.context().runJob(rdd, new PartitionJob<>(function), CollectionConverters.asScala(ids).toSeq(),
                new Collect<T>(results), tag);
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Arrays.asList(results);
        return list;
    }

    /** The driver-side result handler: stores each task's result at its partition index. */
    private static final class Collect<T> extends AbstractFunction2<Object, T, BoxedUnit> {
        private final Object[] results;

        Collect(Object[] results) {
            this.results = results;
        }

        @Override
        public BoxedUnit apply(Object partition, T result) {
            results[(Integer) partition] = result;
            return BoxedUnit.UNIT;
        }
    }
}
