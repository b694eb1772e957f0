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
    /** Where a run keeps its checkpoints while it runs (training.checkpoint.CheckpointStore.FOLDER). */
    static final String CHECKPOINTS = "checkpoints";

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
        return prepare(out, overwrite, false, conf);
    }

    /**
     * The checks of {@link #prepare} before Spark starts, for an {@code out} on the local file
     * system (elsewhere the file system may need Spark's settings).
     */
    public static void precheck(String out, boolean overwrite, boolean resume) {
        Configuration conf = new Configuration();
        Path target = new Path(out);
        try {
            if ("file".equals(target.getFileSystem(conf).makeQualified(target).toUri().getScheme())) {
                prepare(out, overwrite, resume, conf);
            }
        } catch (IOException e) {
            throw new UserError("--out " + out + ": " + UserError.firstLine(e), e);
        }
    }

    /**
     * As {@link #prepare(String, boolean, Configuration)}; with {@code resume}, {@code out} must hold
     * the checkpoints of an unfinished run (and nothing else).
     */
    public static RunDirectory prepare(String out, boolean overwrite, boolean resume, Configuration conf) {
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (target.getParent() == null) {
                throw new UserError("--out " + out + ": cannot be the file system root");
            }
            if (resume) {
                if (!fs.exists(target) || !onlyCheckpoints(fs, target)) {
                    throw new UserError("--out " + out + ": " + (fs.exists(new Path(target, FINISHED_MARKER))
                            ? "holds a finished run; nothing to resume" : "holds no checkpoints of an unfinished run to resume"));
                }
                return new RunDirectory(fs, target, false);
            }
            if (fs.exists(target)) {
                // --overwrite replaces runs only: never a file or a folder of other things
                FileStatus status = fs.getFileStatus(target);
                if (!status.isDirectory()) {
                    throw new UserError("--out " + out + ": is a file, not a run folder; give a new or empty folder");
                }
                FileStatus[] children = fs.listStatus(target);
                if (children.length > 0 && !fs.exists(new Path(target, FINISHED_MARKER)) && !onlyCheckpoints(fs, target)) {
                    throw new UserError("--out " + out + ": holds files that are not a run (such as "
                            + children[0].getPath().getName() + "); give a new or empty folder");
                }
            }
            if (fs.exists(target) && !overwrite) {
                if (fs.exists(new Path(target, FINISHED_MARKER))) {
                    throw new UserError("--out " + out + ": holds a finished run (use --overwrite to replace it)");
                }
                if (onlyCheckpoints(fs, target)) {
                    throw new UserError("--out " + out + ": holds the checkpoints of an unfinished run (use --resume to "
                            + "continue it, or --overwrite to start again)");
                }
            }
            return new RunDirectory(fs, target, overwrite);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": " + UserError.firstLine(e), e);
        }
    }

    /** True if {@code dir} holds a checkpoints folder and nothing else: an unfinished run. */
    private static boolean onlyCheckpoints(FileSystem fs, Path dir) throws IOException {
        if (!fs.getFileStatus(dir).isDirectory()) {
            return false;
        }
        FileStatus[] children = fs.listStatus(dir);
        return children.length > 0 && java.util.Arrays.stream(children)
                .allMatch(c -> c.getPath().getName().equals(CHECKPOINTS) || c.getPath().getName().startsWith("."));
    }

    /**
     * Before a new run starts: with --overwrite an old run in {@link #target()} is removed now,
     * because checkpoints (periodic, or on Ctrl-C) go straight into the run folder.
     */
    public void clearForCheckpoints() throws IOException {
        if (overwrite && fs.exists(target) && !onlyCheckpoints(fs, target)) {
            fs.delete(target, true);
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
        if (fs.exists(target) && onlyCheckpoints(fs, target)) {
            // this run's own checkpoints: move the outputs in, the finished-run marker last, then drop them
            FileStatus[] staged = fs.listStatus(staging);
            java.util.Arrays.sort(staged, java.util.Comparator.comparing(st -> st.getPath().getName().equals(FINISHED_MARKER)));
            for (FileStatus child : staged) {
                Path to = new Path(target, child.getPath().getName());
                if (!fs.rename(child.getPath(), to)) {
                    throw new IOException("cannot rename " + child.getPath() + " to " + to);
                }
            }
            fs.delete(staging, true);
            fs.delete(new Path(target, CHECKPOINTS), true);
            return;
        }
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
