package minibatch.bench;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;

/** Bytes a cached RDD takes in executor memory and on disk, from Spark's storage status. */
final class CachedSize {
    private CachedSize() {
    }

    static long bytes(SparkSession spark, int rddId) {
        for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
            if (info.id() == rddId) {
                return info.memSize() + info.diskSize();
            }
        }
        throw new IllegalStateException("RDD " + rddId + " is not cached");
    }
}
