package minibatch.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Spark installation's layout assembled for tests: {@code jars/} holds the test's runtime
 * classpath (symlinks to the Maven-resolved jars, Spark's YARN module included), and
 * {@code bin/spark-submit} is a minimal stand-in for Spark's own: SparkSubmit on {@code jars/} with
 * {@code HADOOP_CONF_DIR}/{@code YARN_CONF_DIR} on the classpath, and the driver's heap and Java
 * options applied to its JVM as Spark's launcher applies them in client mode. Every call is
 * appended to {@code calls.log}.
 */
public final class SparkHome {
    private SparkHome() {
    }

    /** Assembles the layout in {@code home} and returns {@code home}. */
    public static Path assemble(Path home) throws IOException {
        linkClasspathJars(Files.createDirectories(home.resolve("jars")));
        String flags = System.getProperty("minibatch.jvm.flags").strip();
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, String.join("\n",
                "#!/usr/bin/env bash",
                "# Stands in for Spark's bin/spark-submit: SparkSubmit on this layout's jars/, the driver's heap and",
                "# Java options applied to this JVM as Spark's launcher applies them in client mode.",
                "home=$(cd \"$(dirname \"$0\")/..\" && pwd)",
                "jvm=() args=()",
                "while (($#)); do",
                "  case $1 in",
                "    --driver-memory) jvm+=(-Xmx\"$2\"); args+=(\"$1\" \"$2\"); shift 2 ;;",
                "    --driver-java-options) read -r -a o <<<\"$2\"; jvm+=(\"${o[@]}\"); shift 2 ;;",
                "    *) args+=(\"$1\"); shift ;;",
                "  esac",
                "done",
                "echo \"spark-submit of the test layout: ${args[*]}\" >>\"$home/calls.log\"",
                "cp=\"${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}${YARN_CONF_DIR:+$YARN_CONF_DIR:}$home/jars/*\"",
                "exec java " + flags + " \"${jvm[@]}\" -cp \"$cp\" org.apache.spark.deploy.SparkSubmit \"${args[@]}\"",
                ""));
        if (!submit.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + submit + " executable");
        }
        return home;
    }

    /**
     * Links every jar of the test's classpath into {@code jars} (the first of each file name, in
     * classpath order) and returns the linked jars' absolute paths in that order.
     */
    public static List<Path> linkClasspathJars(Path jars) throws IOException {
        List<Path> linked = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
                linked.add(p.toAbsolutePath());
            }
        }
        return linked;
    }

    /** The application classes ({@code target/classes}) as a jar, as {@code mvn package} makes it, unshaded. */
    public static Path appJar(Path jar) throws IOException {
        Path classes = Path.of("target", "classes");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
