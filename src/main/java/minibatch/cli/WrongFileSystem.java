package minibatch.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hadoop's answer to a path its file system does not take ({@code file://user@/x}, an {@code hdfs://}
 * authority other than the one the path's file system was made for): an
 * {@code IllegalArgumentException("Wrong FS: PATH, expected: URI")} from wherever the path is first
 * used. It is the user's path, so it is one error line, not a stack trace.
 */
final class WrongFileSystem {
    private static final Pattern MESSAGE = Pattern.compile("Wrong FS: (.*), expected: (\\S+)");

    private WrongFileSystem() {
    }

    /** The error line (without "error: ") for {@code e} or a cause of it, or null when none is Hadoop's "Wrong FS". */
    static String line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                Matcher m = MESSAGE.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1) + ": its file system does not take this path (expected a path of " + m.group(2) + ")";
                }
            }
        }
        return null;
    }
}
