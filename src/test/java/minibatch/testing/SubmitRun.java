package minibatch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./submit.sh} run as a user runs it, in a process of its own, the application jar prebuilt
 * ({@code MINIBATCH_JAR}) so nothing is built: without a Spark installation (the Maven fallback,
 * Spark's SparkSubmit on the classpath file {@code MINIBATCH_CLASSPATH_FILE}), or through one
 * assembled under a folder ({@link SparkHome}, {@code SPARK_HOME}).
 */
public record SubmitRun(int status, String stdout, String stderr) {
    private static final long TIMEOUT_SECONDS = 300;

    /**
     * The application jar and classpath file {@code submit.sh} needs, made once in {@code dir}, and
     * the Spark installation it runs through, or null for none.
     */
    public record Launcher(Path appJar, Path classpathFile, Path sparkHome) {
        public static Launcher in(Path dir) throws IOException {
            Files.createDirectories(dir);
            List<String> jars = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                    jars.add(Path.of(entry).toAbsolutePath().toString());
                }
            }
            return new Launcher(SparkHome.appJar(dir.resolve("spark-minibatch.jar")),
                    Files.writeString(dir.resolve("spark-classpath.txt"), String.join(":", jars)), null);
        }

        /** A launcher through a Spark installation assembled in {@code dir} ({@code SPARK_HOME}). */
        public static Launcher withSparkHome(Path dir) throws IOException {
            Files.createDirectories(dir);
            return new Launcher(SparkHome.appJar(dir.resolve("spark-minibatch.jar")), dir.resolve("no-classpath-file"),
                    SparkHome.assemble(dir.resolve("spark")));
        }

        /** {@code ./submit.sh args} in the working directory (the checkout), with its exit status and output. */
        public SubmitRun run(Path outputDir, String... args) throws IOException, InterruptedException {
            return run(outputDir, java.util.Map.of(), args);
        }

        /** As above, with {@code env} added to the environment. */
        public SubmitRun run(Path outputDir, java.util.Map<String, String> env, String... args)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("bash", "submit.sh"));
            command.addAll(List.of(args));
            Files.createDirectories(outputDir);
            Path out = Files.createTempFile(outputDir, "stdout", ".txt");
            Path err = Files.createTempFile(outputDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (sparkHome == null) {
                pb.environment().remove("SPARK_HOME");
            } else {
                pb.environment().put("SPARK_HOME", sparkHome.toString());
            }
            pb.environment().put("MINIBATCH_JAR", appJar.toString());
            pb.environment().put("MINIBATCH_CLASSPATH_FILE", classpathFile.toString());
            pb.environment().put("MVN", outputDir.resolve("no-maven-here").toString()); // never a build
            pb.environment().put("DRIVER_MEMORY", "1g");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("submit.sh " + String.join(" ", args) + " did not end in " + TIMEOUT_SECONDS + " s");
            }
            return new SubmitRun(p.exitValue(), Files.readString(out), Files.readString(err).strip());
        }
    }

    /**
     * The JVM's own notice when a command that may run the SIMD kernels starts with
     * {@code jdk.incubator.vector}; printed before the application runs, and not an error.
     */
    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    /** Exit status 2, exactly the one line {@code expected} on stderr (beside the JVM's notice), and no stack trace. */
    public void assertOneError(String expected) {
        assertEquals(2, status, "exit status; stderr:\n" + stderr + "\nstdout:\n" + stdout);
        assertNoStackTrace();
        assertEquals(expected, stderrLines().collect(java.util.stream.Collectors.joining("\n")));
    }

    /**
     * Exit status 2, {@code expected} the one {@code error:} line on stderr, and no stack trace. Through
     * a Spark installation, Spark's own start-up notices ({@code WARN Utils: ... loopback address}, a
     * busy UI port) may come before it: they depend on the machine.
     */
    public void assertErrorLine(String expected) {
        assertEquals(2, status, stderr);
        assertEquals(List.of(expected), stderr.lines().filter(l -> l.startsWith("error:")).toList(), stderr);
        assertFalse(stderr.lines().anyMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), stderr);
    }

    /** Neither output holds a stack trace's lines, and stderr has one line at most beside the JVM's notice. */
    public void assertNoStackTrace() {
        for (String output : List.of(stdout, stderr)) {
            assertFalse(output.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")
                    || l.startsWith("Exception in thread")), output);
        }
        assertTrue(stderrLines().count() <= 1, "one line at most on stderr:\n" + stderr);
    }

    private java.util.stream.Stream<String> stderrLines() {
        return stderr.lines().filter(l -> !l.equals(INCUBATOR_NOTICE));
    }
}
