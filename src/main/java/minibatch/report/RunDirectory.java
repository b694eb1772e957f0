package minibatch.report;

import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;
import minibatch.ReplacedFolder;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run's output folder, written atomically: files go to a hidden temporary sibling
 * ({@code .NAME.tmp-UUID}) which takes the final name only when everything is written. A run that
 * fails leaves no folder that looks complete. A finished run (one with {@code summary.json}) is
 * replaced only with {@code --overwrite}, and only at commit: until the new run has written all its
 * outputs, every file of the old run stays as it was. The new run's checkpoints meanwhile go to
 * {@code OUT/checkpoints} (beside the old run's files), where {@code --resume} continues them.
 */
public final class RunDirectory {
    /** The file whose presence marks a finished run. */
    public static final String FINISHED_MARKER = "summary.json";
    /** Where a run keeps its checkpoints while it runs (training.checkpoint.CheckpointStore.FOLDER). */
    static final String CHECKPOINTS = "checkpoints";

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    /** --overwrite or --resume: a finished run in the target may be replaced at commit. */
    private final boolean replacesRun;

    private RunDirectory(FileSystem fs, Path target, boolean replacesRun) {
        this.fs = fs;
        this.target = target;
        this.replacesRun = replacesRun;
        this.staging = ReplacedFolder.stagingFor(target);
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
     * the checkpoints of an unfinished run: alone, or beside the finished run it is to replace.
     */
    public static RunDirectory prepare(String out, boolean overwrite, boolean resume, Configuration conf) {
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (target.getParent() == null) {
                throw new UserError("--out " + out + ": cannot be the file system root");
            }
            Path file = ReplacedFolder.fileAbove(fs, target);
            if (file != null) {
                throw new UserError("--out " + out + ": " + file + " is a file, not a folder");
            }
            Contents found = Contents.of(fs, target);
            if (resume) {
                found.requireNoForeign(out);
                if (!found.checkpoints()) {
                    throw new UserError("--out " + out + ": " + (found.finished()
                            ? "holds a finished run; nothing to resume" : "holds no checkpoints of an unfinished run to resume"));
                }
                return new RunDirectory(fs, target, true);
            }
            found.requireReplaceable(out, overwrite);
            return new RunDirectory(fs, target, overwrite);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": " + UserError.firstLine(e), e);
        }
    }

    /**
     * The entries a run folder may hold: what {@code train} writes, {@code evaluate}'s and
     * {@code export}'s default outputs, and the hidden checksum files of the local file system.
     * Anything else (a {@code .git}, notes, a data folder, predictions) is the user's, and no run
     * replaces a folder that holds it.
     */
    private static final Pattern RUN_ENTRY = Pattern.compile("(summary\\.json|steps\\.csv|epochs\\.csv|report\\.html|model"
            + "|model\\.onnx|(loss|accuracy|learning-rate|confusion)\\.png|evaluation-[\\w-]+\\.json|" + CHECKPOINTS + ")");

    static boolean isRunEntry(String name) {
        String own = name.startsWith(".") && name.endsWith(".crc") ? name.substring(1, name.length() - 4) : name;
        return RUN_ENTRY.matcher(own).matches();
    }

    /**
     * What a run folder holds.
     *
     * @param foreign the first entry that is not one of a run's ({@link #isRunEntry}), or null
     */
    private record Contents(boolean exists, boolean file, boolean finished, boolean checkpoints, String foreign) {
        static Contents of(FileSystem fs, Path dir) throws IOException {
            if (!fs.exists(dir)) {
                return new Contents(false, false, false, false, null);
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                return new Contents(true, true, false, false, null);
            }
            FileStatus[] children = fs.listStatus(dir);
            boolean finished = fs.exists(new Path(dir, FINISHED_MARKER));
            boolean checkpoints = Arrays.stream(children).anyMatch(RunDirectory::isCheckpoints);
            String foreign = Arrays.stream(children)
                    .filter(c -> !isRunEntry(c.getPath().getName()))
                    .map(c -> c.getPath().getName()).findFirst().orElse(null);
            return new Contents(true, false, finished, checkpoints, foreign);
        }

        /** Refuses a folder that holds anything a run does not write: it is the user's. */
        void requireNoForeign(String out) {
            if (foreign != null) {
                throw new UserError("--out " + out + ": holds files that are not a run (such as " + foreign
                        + "); give a new or empty folder");
            }
        }

        /** Refuses what a new run may not write into (or, with {@code overwrite}, replace at commit). */
        void requireReplaceable(String out, boolean overwrite) {
            // --overwrite replaces runs only: never a file or a folder of other things
            if (file) {
                throw new UserError("--out " + out + ": is a file, not a run folder; give a new or empty folder");
            }
            requireNoForeign(out);
            if (overwrite) {
                return;
            }
            if (finished && checkpoints) {
                throw new UserError("--out " + out + ": holds a finished run and the checkpoints of an unfinished run "
                        + "that is to replace it (use --resume to continue that run, or --overwrite to start again)");
            }
            if (finished) {
                throw new UserError("--out " + out + ": holds a finished run (use --overwrite to replace it)");
            }
            if (checkpoints) {
                throw new UserError("--out " + out + ": holds the checkpoints of an unfinished run (use --resume to "
                        + "continue it, or --overwrite to start again)");
            }
        }
    }

    private static boolean isCheckpoints(FileStatus entry) {
        return entry.isDirectory() && entry.getPath().getName().equals(CHECKPOINTS);
    }

    /** The folder to write into; created on first call. */
    public Path staging() throws IOException {
        if (!fs.exists(staging) && !fs.mkdirs(staging)) {
            throw new IOException("cannot create " + staging);
        }
        return staging;
    }

    /**
     * Puts the staged files under the final name. What was there (this run's checkpoints, or with
     * --overwrite or --resume the finished run being replaced) is removed only after the rename.
     */
    public void commit() throws IOException {
        if (fs.exists(target)) {
            Contents now = Contents.of(fs, target);
            if (now.file() || now.foreign() != null || now.finished() && !replacesRun) {
                throw new IOException(target + " was created by someone else while this run was writing; not replacing it");
            }
        }
        ReplacedFolder.swap(fs, staging, target);
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
