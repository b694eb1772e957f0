package minibatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from {@code conf/train.properties} (packed into the jar under {@code conf/}),
 * keyed by the long option name without dashes: {@code batch-size=100}. Command-line options win.
 */
public final class ConfDefaults implements IDefaultValueProvider {
    static final String RESOURCE = "/conf/train.properties";
    private final Properties defaults = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = ConfDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            String value = defaults.getProperty(option.longestName().replaceFirst("^-+", ""));
            return value == null ? null : value.trim();
        }
        return null;
    }
}
