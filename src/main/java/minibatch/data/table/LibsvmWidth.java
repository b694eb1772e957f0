package minibatch.data.table;

import java.util.Iterator;
import java.util.List;
import minibatch.UserError;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The feature count of LibSVM files (the largest 1-based index), found by one distributed pass over
 * their lines that also checks each line's syntax. Spark's LibSVM reader would infer the count
 * itself, but a malformed line there fails a task and prints its stack trace; here it becomes one
 * clear error, and the reader is then given the count.
 */
public final class LibsvmWidth {
    private LibsvmWidth() {
    }

    /**
     * Per partition: the largest index seen and the first malformed line, if any. A task result, so
     * a plain class rather than a record (Spark 4's Kryo cannot serialize a record's fields).
     */
    public static final class Scan implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final int maxIndex;
        private final String error;

        Scan(int maxIndex, String error) {
            this.maxIndex = maxIndex;
            this.error = error;
        }

        int maxIndex() {
            return maxIndex;
        }

        String error() {
            return error;
        }
    }

    public static int of(SparkSession spark, String location) {
        spark.sparkContext().setJobDescription("validate " + location);
        List<Scan> scans;
        try {
            scans = spark.read().text(location).javaRDD().mapPartitions(new LineScanner()).collect();
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
        int max = 0;
        for (Scan s : scans) {
            if (s.error() != null) {
                throw new UserError(location + ": " + s.error());
            }
            max = Math.max(max, s.maxIndex());
        }
        if (max == 0) {
            throw new UserError(location + ": holds no features (no index:value pairs)");
        }
        return max;
    }

    private static final class LineScanner implements FlatMapFunction<Iterator<Row>, Scan> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Scan> call(Iterator<Row> lines) {
            int max = 0;
            while (lines.hasNext()) {
                String line = lines.next().getString(0).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] tokens = line.split("\\s+");
                try {
                    Double.parseDouble(tokens[0]);
                    int previous = 0;
                    for (int t = 1; t < tokens.length; t++) {
                        int colon = tokens[t].indexOf(':');
                        int index = Integer.parseInt(tokens[t].substring(0, colon));
                        Double.parseDouble(tokens[t].substring(colon + 1));
                        if (index <= previous) {
                            return List.of(new Scan(max, "indices must be 1-based and ascending: "
                                    + RowDecoder.snippet(line))).iterator();
                        }
                        previous = index;
                    }
                    max = Math.max(max, previous);
                } catch (RuntimeException e) { // NumberFormatException, or no ':' in a token
                    return List.of(new Scan(max, "not a LibSVM line (label index:value ...): "
                            + RowDecoder.snippet(line))).iterator();
                }
            }
            return List.of(new Scan(max, null)).iterator();
        }
    }
}
