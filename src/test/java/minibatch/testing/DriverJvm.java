package minibatch.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import minibatch.cli.Main;

/** The CLI in a separate driver JVM, for tests that need their own SparkContext or a process to kill. */
public final class DriverJvm {
    private DriverJvm() {
    }

    /** Starts {@code Main cliArgs} with the test's classpath and Spark's JVM flags; output to {@code log}. */
    public static Process start(List<String> cliArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(System.getProperty("minibatch.jvm.flags").trim().split("\\s+")));
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(cliArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
