package minibatch.report;

import java.io.IOException;
import java.util.UUID;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run's output folder, written atomically: files go to a hidden temporary sibling
 * ({@code .NAME.tmp-UUID}) which is renamed to the final name only when everything is written.
 * A run that fails leaves no folder that looks complete. A finished run (one with
 * {@code summary.json}) is replaced only with {@code --overwrite}.
 */
public final class RunDirectory {
    /** The file whose presence marks a finished run. */
    public static final String FINISHED_MARKER = "summary.json";

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean overwrite;

    private RunDirectory(FileSystem fs, Path target, boolean overwrite) {
        this.fs = fs;
        this.target = target;
        this.overwrite = overwrite;
        this.staging = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** Checks, before any work is done, that the run may write to {@code out}. Creates nothing. */
    public static RunDirectory prepare(String out, boolean overwrite, Configuration conf) {
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (target.getParent() == null) {
                throw new UserError("--out " + out + ": cannot be the file system root");
            }
            if (fs.exists(target) && !overwrite) {
                FileStatus status = fs.getFileStatus(target);
                if (!status.isDirectory()) {
                    throw new UserError("--out " + out + ": exists and is a file (use --overwrite to replace it)");
                }
                if (fs.exists(new Path(target, FINISHED_MARKER))) {
                    throw new UserError("--out " + out + ": holds a finished run (use --overwrite to replace it)");
                }
                if (fs.listStatus(target).length > 0) {
                    throw new UserError("--out " + out + ": exists and is not empty (use --overwrite to replace it)");
                }
            }
            return new RunDirectory(fs, target, overwrite);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": " + e.getMessage(), e);
        }
    }

    /** The folder to write into; created on first call. */
    public Path staging() throws IOException {
        if (!fs.exists(staging) && !fs.mkdirs(staging)) {
            throw new IOException("cannot create " + staging);
        }
        return staging;
    }

    /** Moves the staged files to the final path; replaces an existing folder only if allowed. */
    public void commit() throws IOException {
        if (fs.exists(target)) {
            boolean emptyDir = fs.getFileStatus(target).isDirectory() && fs.listStatus(target).length == 0;
            if (!overwrite && !emptyDir) {
                throw new IOException(target + " was created by someone else while this run was writing; not replacing it");
            }
            fs.delete(target, true);
        }
        if (!fs.rename(staging, target)) {
            throw new IOException("cannot rename " + staging + " to " + target);
        }
    }

    /** Removes the staged files after a failure. */
    public void abort() {
        try {
            fs.delete(staging, true);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .tmp folder never looks like a finished run
        }
    }

    public Path target() {
        return target;
    }
}
