package minibatch;

/** This build's identity, as {@code --version} prints it and exported files record it. */
public final class Build {
    /** The project version (pom.xml's, without -SNAPSHOT). */
    public static final String VERSION = "0.1.0";

    private Build() {
    }
}
