package minibatch.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.ImageTables;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, cut out of README.md, compiled with javac and run on CSV files. */
@ExtendWith(LocalSpark.class)
class ReadmeSnippetTest {
    private static final String MARKER = "<!-- snippet: EstimatorExample.java -->";

    @TempDir
    Path dir;

    static String snippet() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf(MARKER);
        assertTrue(at >= 0, "README.md has no " + MARKER);
        int start = readme.indexOf("```java\n", at) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    @Test
    void theReadmeEstimatorExampleCompilesAndTrains(SparkSession spark) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("EstimatorExample.java"), snippet());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int status = javac.run(null, diagnostics, diagnostics, "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.resolve("EstimatorExample.java").toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        Path mnist = IdxFixtures.syntheticMnist(dir.resolve("mnist"), 400, 100, 8);
        Path csv = dir.resolve("csv");
        for (String set : List.of("train", "test")) {
            ImageSource source = ImageSources.open(spark, mnist.toString(), "--data", DataFormat.IDX, set, 0, 0,
                    ImageSources.Use.TRAINING);
            ImageTables.write(spark, source, 2, DataFormat.CSV, csv.resolve(set + ".csv").toString());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            double accuracy = (double) loader.loadClass("EstimatorExample")
                    .getMethod("run", SparkSession.class, String.class, long.class)
                    .invoke(null, spark, csv.toString(), 600L);
            assertTrue(accuracy > 0.7, "test accuracy of the README example: " + accuracy);
        }
        assertTrue(Files.exists(csv.resolve("pipeline-model/stages")), "the example saved its PipelineModel");
    }
}
