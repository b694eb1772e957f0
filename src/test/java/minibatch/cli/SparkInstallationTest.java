package minibatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.RunSummary;
import minibatch.testing.SparkHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code submit.sh} through a Spark installation: a {@code SPARK_HOME} layout assembled here ({@code jars/}
 * from the test's runtime classpath, a minimal {@code bin/spark-submit} that runs Spark's SparkSubmit on
 * them as Spark's launcher does, applying {@code --driver-memory} and {@code --driver-java-options}), the
 * application jar present and Maven absent: training needs nothing the Maven fallback writes, is quiet,
 * and gives the in-process run's weights. A missing or stale jar without Maven is one clear line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkInstallationTest {
    @TempDir
    static Path dir;
    Path sparkHome;
    Path appJar;
    Path data;

    @BeforeAll
    void assemble() throws IOException {
        sparkHome = SparkHome.assemble(dir.resolve("spark"));
        appJar = SparkHome.appJar(dir.resolve("spark-minibatch.jar"));
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 40, 3);
    }

    private record Result(int status, String output) {
    }

    /** {@code script} (a submit.sh) run as a user runs it, with {@code env} added and no Maven. */
    private static Result run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("MVN", dir.resolve("no-maven-here").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "submit.sh finished");
        return new Result(p.exitValue(), output);
    }

    @Test
    void trainsThroughTheInstallationWithoutMaven() throws Exception {
        Path run = dir.resolve("run");
        String[] train = {"train", "--data", data.toString(), "--out", run.toString(), "--hidden", "8", "--steps", "40",
                "--batch-size", "20", "--partitions", "2", "--progress-seconds", "100"};
        Result r = run(Path.of("submit.sh"), Map.of("SPARK_HOME", sparkHome.toString(), "MINIBATCH_JAR", appJar.toString(),
                "MINIBATCH_CLASSPATH_FILE", dir.resolve("no-classpath-file").toString()), train);
        assertEquals(0, r.status(), r.output());
        assertTrue(Files.readString(sparkHome.resolve("calls.log")).contains("--driver-memory 4g"), "one driver-memory default");
        assertFalse(r.output().contains(" INFO "), "conf/log4j2.properties applies:\n" + r.output());
        Path inProcess = dir.resolve("in-process");
        List<String> same = new ArrayList<>(List.of(train));
        same.set(same.indexOf(run.toString()), inProcess.toString());
        assertEquals(0, CliRun.of(same.toArray(String[]::new)).status());
        assertEquals(RunSummary.weightsSha256(inProcess), RunSummary.weightsSha256(run), "the installation's run");
    }

    @Test
    void aMissingOrStaleJarWithoutMavenIsOneLine() throws Exception {
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(Path.of("submit.sh"), root.resolve("submit.sh"));
        Files.createDirectories(root.resolve("conf"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString());
        Result missing = run(root.resolve("submit.sh"), env, "train", "--data", data.toString());
        assertEquals(2, missing.status(), missing.output());
        assertEquals("error: " + root.toAbsolutePath() + "/target/spark-minibatch.jar is missing and Maven ("
                + dir.resolve("no-maven-here") + ") is not installed to build it", missing.output().strip());
        Path jar = Files.createDirectories(root.resolve("target")).resolve("spark-minibatch.jar");
        Files.copy(appJar, jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Result stale = run(root.resolve("submit.sh"), env, "train", "--data", data.toString());
        assertEquals(2, stale.status(), stale.output());
        assertEquals("error: " + root.toAbsolutePath() + "/target/spark-minibatch.jar is older than pom.xml and Maven ("
                + dir.resolve("no-maven-here") + ") is not installed to rebuild it", stale.output().strip());
    }

    @Test
    void mastersAndModesTheFallbackCannotRunAreRefusedUpFront() throws Exception {
        Result yarn = run(Path.of("submit.sh"), Map.of(), "train", "--master", "yarn", "--data", data.toString());
        assertEquals(2, yarn.status(), yarn.output());
        assertEquals("error: --master yarn needs a Spark installation with its YARN module: set SPARK_HOME or put "
                + "spark-submit on the PATH", yarn.output().strip());
        Result relative = run(Path.of("submit.sh"), Map.of("SPARK_HOME", sparkHome.toString(), "MINIBATCH_JAR", appJar.toString()),
                "train", "--deploy-mode", "cluster", "--master", "spark://127.0.0.1:7077", "--data", "data/mnist");
        assertEquals(2, relative.status(), relative.output());
        assertEquals("error: --data data/mnist: a relative path; in cluster deploy mode the driver runs elsewhere: give an "
                + "absolute path or a URI (hdfs://...)", relative.output().strip());
    }
}
