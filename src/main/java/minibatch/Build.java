package minibatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's identity, as {@code --version} prints it and exported files record it. */
public final class Build {
    /**
     * The project version, pom.xml's without -SNAPSHOT: Maven writes it into
     * {@code minibatch/build.properties} when it copies the resources, so the pom is its one source.
     */
    public static final String VERSION = version();

    private Build() {
    }

    private static String version() {
        Properties build = new Properties();
        try (InputStream in = Build.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("minibatch/build.properties is not on the class path (build with Maven)");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read minibatch/build.properties", e);
        }
        String version = build.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            // an unfiltered copy (not built by Maven) would print a placeholder as the version
            throw new IllegalStateException("minibatch/build.properties holds no version (build with Maven)");
        }
        return version.replaceFirst("-SNAPSHOT$", "");
    }
}
