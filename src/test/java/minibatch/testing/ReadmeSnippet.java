package minibatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Java example of README.md (the block after {@code <!-- snippet: NAME.java -->}), compiled with javac on the test classpath. */
public final class ReadmeSnippet {
    private ReadmeSnippet() {
    }

    /** The source of snippet {@code fileName} (e.g. {@code EstimatorExample.java}). */
    public static String source(String fileName) throws IOException {
        String marker = "<!-- snippet: " + fileName + " -->";
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf(marker);
        assertTrue(at >= 0, "README.md has no " + marker);
        int start = readme.indexOf("```java\n", at) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    /** Compiles snippet {@code fileName} under {@code dir} and loads its class (the caller closes the loader). */
    public static Class<?> compile(String fileName, Path dir) throws IOException, ClassNotFoundException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(fileName), source(fileName));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int status = javac.run(null, diagnostics, diagnostics, "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.resolve(fileName).toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));
        @SuppressWarnings("resource") // the class keeps its loader; a test's classes are few
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeSnippet.class.getClassLoader());
        return loader.loadClass(fileName.replace(".java", ""));
    }
}
