package minibatch.testing;

import java.util.Map;
import minibatch.cli.JobSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real {@code local[2]} SparkSession shared by every test class in the JVM (created with the
 * job's own settings), stopped when the test run ends. Test methods and constructors may take a
 * {@link SparkSession} parameter. It is created before a class's first test even if none asks
 * for it: CLI runs in a test without {@code --master} then reuse it, instead of leaving a
 * {@code local[*]} session that a later class would get in its place (Spark's {@code getOrCreate}).
 */
public final class LocalSpark implements ParameterResolver, BeforeAllCallback {
    private static final String KEY = "spark-minibatch.local-spark";

    /** The shared session; created on first use. */
    public static synchronized SparkSession session(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Holder holder = store.getOrComputeIfAbsent(KEY, k -> new Holder(), Holder.class);
        return holder.spark;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        session(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SparkSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return session(context);
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final SparkSession spark = JobSession.create("spark-minibatch tests", "local[2]",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "2",
                        // tables that tests create (CREATE TABLE ... USING idx) stay out of the working copy
                        "spark.sql.warehouse.dir", java.nio.file.Path.of("target", "spark-warehouse").toAbsolutePath().toString()));

        @Override
        public void close() {
            spark.stop();
        }
    }
}
