package minibatch.cli;

import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hadoop's unchecked answers to a path the user typed, thrown from wherever the path is first used
 * (options are paths on any Hadoop file system, read in many places): each is the user's mistake,
 * so it is one error line, not a stack trace.
 *
 * <ul>
 *   <li>{@code IllegalArgumentException(URISyntaxException)}: not a URI ({@code c:d}, where the
 *       part before ':' reads as a scheme);</li>
 *   <li>{@code IllegalArgumentException("Wrong FS: PATH, expected: URI")}: an authority its file
 *       system does not take ({@code file://user@/x});</li>
 *   <li>{@code RuntimeException(ClassNotFoundException("Class ...FileSystem not found"))}: a scheme
 *       whose file system is configured but not on the classpath ({@code s3a://} without hadoop-aws).</li>
 * </ul>
 */
final class HadoopPathMistake {
    private static final Pattern WRONG_FS = Pattern.compile("Wrong FS: (.*), expected: (\\S+)");
    private static final Pattern MISSING_CLASS = Pattern.compile("Class (\\S+FileSystem) not found");

    private HadoopPathMistake() {
    }

    /** The error line (without "error: ") for {@code e} or a cause of it, or null when it is none of these. */
    static String line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getCause() instanceof URISyntaxException bad) {
                return bad.getInput() + ": not a path (" + bad.getReason()
                        + (bad.getReason().startsWith("Relative path in absolute URI")
                        ? "; the part before ':' reads as a scheme such as hdfs or s3a)" : ")");
            }
            String message = t.getMessage();
            if (t instanceof IllegalArgumentException && message != null) {
                Matcher m = WRONG_FS.matcher(message);
                if (m.find()) {
                    return m.group(1) + ": its file system does not take this path (expected a path of " + m.group(2) + ")";
                }
            }
            if (t instanceof ClassNotFoundException && message != null) {
                Matcher m = MISSING_CLASS.matcher(message);
                if (m.find()) {
                    return "the file system " + m.group(1) + " is not on the classpath: add its jars (for s3a://, "
                            + "hadoop-aws and the AWS SDK it names) with spark-submit's --packages or --jars";
                }
            }
        }
        return null;
    }
}
