package minibatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The one place training defaults live: {@code conf/train.properties}, packed into the jar under
 * {@code conf/}, keyed by the long option name without dashes ({@code batch-size=100}). The
 * command line's options and the Spark ML estimator's param defaults both come from it.
 */
public final class TrainDefaults {
    static final String RESOURCE = "/conf/train.properties";
    private static final Properties DEFAULTS = load();

    private TrainDefaults() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = TrainDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The default of option {@code --key}, or null when the file has none. */
    public static String get(String key) {
        String value = DEFAULTS.getProperty(key);
        return value == null ? null : value.trim();
    }

    /** As {@link #get}, failing when the file has no such key. */
    public static String require(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + " has no default for " + key);
        }
        return value;
    }

    /** Every key in the file. */
    public static java.util.Set<String> keys() {
        return DEFAULTS.stringPropertyNames();
    }
}
