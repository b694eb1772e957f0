package minibatch.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --master} and {@code --conf}, shared by the commands that start Spark (train has its own, in its config). */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: what spark-submit set, else local[*]")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    public SparkSession session(String appName) {
        return JobSession.create(appName, master, conf);
    }
}
