package minibatch.distributed.barrier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code private[spark]} API the project uses is used in {@link SparkInternals} and nowhere else. */
class InternalSparkApiTest {
    /** What marks such a use in Java source: Spark's RPC package and the internal members we call. */
    private static final List<String> INTERNAL = List.of("org.apache.spark.rpc.", "org.apache.spark.util.RpcUtils",
            "maxNumConcurrentTasks", "resourceProfileManager", ".env()", ".rpcEnv()", "killTaskIfInterrupted",
            "sc.conf()", "context().conf()", "sparkContext().conf()");

    @Test
    void onlyTheAdapterUsesInternalSparkApis() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> found = new ArrayList<>();
        boolean adapterUsesThem = false;
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                for (String marker : INTERNAL) {
                    if (source.contains(marker)) {
                        if (f.getFileName().toString().equals("SparkInternals.java")) {
                            adapterUsesThem = true;
                        } else {
                            found.add(main.relativize(f) + ": " + marker);
                        }
                    }
                }
            }
        }
        assertTrue(adapterUsesThem, "the markers still find the adapter's uses");
        assertEquals(List.of(), found, "internal Spark APIs outside SparkInternals");
    }
}
