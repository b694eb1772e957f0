package minibatch.bench;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;

/** Bytes the cached blocks take in executor memory and on disk, from Spark's storage status. */
final class CachedSize {
    private CachedSize() {
    }

    /** Everything cached now (a cached DataFrame is one in-memory columnar RDD). */
    static long total(SparkSession spark) {
        long bytes = 0;
        for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
            bytes += info.memSize() + info.diskSize();
        }
        return bytes;
    }
}
