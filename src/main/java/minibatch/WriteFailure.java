package minibatch;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.List;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.security.AccessControlException;

/**
 * A write that failed, as one line naming what was written, where, and the file system's reason.
 * A full disk or quota, a missing permission, a read-only file system or a file where a folder
 * must be is for the user to fix: a {@link UserError} (exit 2). Anything else (a lost DataNode, a
 * network error) is a {@link RunFailure} (exit 1).
 */
public final class WriteFailure {
    /** Words of the operating system's and HDFS's messages for the failures a user fixes. */
    private static final List<String> USER_FIXABLE = List.of("no space left on device", "disk quota exceeded",
            "quota of", "permission denied", "read-only file system", "not a directory", "file too large");

    private WriteFailure() {
    }

    /**
     * The one-line exception for writing {@code what} to {@code where} that failed with {@code cause}.
     *
     * @param what for example "the checkpoint at step 40"
     */
    public static RuntimeException of(String what, Object where, Throwable cause) {
        String line = "writing " + what + " to " + where + " failed: " + UserError.firstLine(innermostIo(cause));
        return userCanFix(cause) ? new UserError(line, cause) : new RunFailure(line, cause);
    }

    /**
     * What to throw for {@code e}, raised while writing {@code what} to {@code where}: {@code e}
     * itself when it is (or carries) a {@link UserError} or {@link RunFailure}, which are one line
     * already (a bad input row found while writing, say), or a runtime exception not caused by I/O
     * (a defect, whose stack trace is wanted); else the write failure, one line.
     */
    public static RuntimeException during(String what, Object where, Exception e) {
        boolean io = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UserError || c instanceof RunFailure) {
                return e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            io |= c instanceof IOException;
        }
        return !io && e instanceof RuntimeException r ? r : of(what, where, e);
    }

    /** True if {@code t} or a cause of it is a failure the user fixes (space, permission, a file in place of a folder). */
    static boolean userCanFix(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AccessDeniedException || c instanceof AccessControlException
                    || c instanceof NotDirectoryException || c instanceof ParentNotDirectoryException
                    // HDFS's DSQuotaExceededException and NSQuotaExceededException, named so as not to need HDFS's classes
                    || c.getClass().getSimpleName().endsWith("QuotaExceededException")) {
                return true;
            }
            String message = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (USER_FIXABLE.stream().anyMatch(message::contains)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost IOException behind {@code t} (Spark wraps a task's in its own), else {@code t}. */
    private static Throwable innermostIo(Throwable t) {
        Throwable found = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                found = c;
            }
        }
        return found;
    }
}
