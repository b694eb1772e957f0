package minibatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./submit.sh} run as a user runs it, in a process of its own: through a Spark installation
 * assembled under a folder ({@link SparkHome}) with the application jar of {@code target/classes}
 * ({@code MINIBATCH_JAR}), no Maven.
 */
public final class SubmitScript {
    private final Path dir;
    private final Path sparkHome;
    private final Path appJar;

    private SubmitScript(Path dir, Path sparkHome, Path appJar) {
        this.dir = dir;
        this.sparkHome = sparkHome;
        this.appJar = appJar;
    }

    /** Assembles the installation and the jar under {@code dir}. */
    public static SubmitScript in(Path dir) throws IOException {
        return new SubmitScript(dir, SparkHome.assemble(dir.resolve("spark")),
                SparkHome.appJar(dir.resolve("spark-minibatch.jar")));
    }

    /** Runs {@code ./submit.sh args}: its exit status, standard output and standard error (stripped). */
    public CliRun run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("submit.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("MINIBATCH_JAR", appJar.toString());
        pb.environment().put("MINIBATCH_CLASSPATH_FILE", dir.resolve("no-classpath-file").toString());
        pb.environment().put("MVN", dir.resolve("no-maven-here").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "submit.sh finished");
        return new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8).strip());
    }

    /**
     * Exit status 2, {@code expected} the one {@code error:} line on standard error, and no stack trace.
     * The JVM's and Spark's own start-up notices ({@code WARNING: Using incubator modules}, {@code WARN
     * Utils: ... loopback address}, a busy UI port) may come before it: they depend on the machine.
     */
    public static void assertOneError(CliRun run, String expected) {
        assertEquals(2, run.status(), run.stderr());
        assertEquals(List.of(expected), run.stderr().lines().filter(l -> l.startsWith("error:")).toList(), run.stderr());
        assertFalse(run.stderr().lines().anyMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), run.stderr());
    }
}
