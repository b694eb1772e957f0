package minibatch.distributed.sums;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Runs on an executor: the rows of one partition to one partial result (a sum, never a mean).
 * It travels to the executors inside the task, with whatever it holds (the weights).
 *
 * @param <R> row type
 * @param <T> partial result type
 */
@FunctionalInterface
public interface PartitionFunction<R, T> extends Serializable {
    T apply(int partition, Iterator<R> rows);
}
