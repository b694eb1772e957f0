package minibatch.data;

import java.util.function.Supplier;
import minibatch.UserError;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads files through Spark's readers, turning a failure into one {@code error:} line naming the location. */
public final class SparkReader {
    private SparkReader() {
    }

    /** A Spark reader's failure to even open the data (wrong format, no schema) as one message. */
    public static Dataset<Row> read(String location, String kind, Supplier<Dataset<Row>> reader) {
        try {
            return reader.get();
        } catch (Exception e) { // Spark's exceptions are checked ones that Scala throws undeclared
            throw new UserError(location + ": cannot read as " + kind + ": " + UserError.firstLine(e), e);
        }
    }
}
