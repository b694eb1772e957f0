package minibatch.training.checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import minibatch.UserError;
import minibatch.WriteFailure;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a run under {@code OUT/checkpoints/step-NNNNNNNNN/}, each in
 * {@link CheckpointFormat}. Each is written to a hidden folder and renamed, so a folder with the
 * final name is complete; the last {@value #KEEP} are kept, and older ones are removed only after
 * the new one is in place. A new run's store ({@link #forNewRun}) owns none of the checkpoints it
 * finds: its first checkpoint replaces them all, whatever their steps, so that {@code --resume}
 * continues the new run and never an earlier one with other settings.
 */
public final class CheckpointStore {
    public static final String FOLDER = "checkpoints";
    static final int KEEP = 2;

    private final Path runDir;
    private final Path dir;
    private final Configuration conf;
    /** True until a new run's first checkpoint is written: then the checkpoints of earlier runs go. */
    private boolean othersToDrop;

    /** The store of the run whose checkpoints are in {@code runDir} (the one {@code --resume} continues). */
    public CheckpointStore(Path runDir, Configuration conf) {
        this(runDir, conf, false);
    }

    private CheckpointStore(Path runDir, Configuration conf, boolean newRun) {
        this.runDir = runDir;
        this.dir = new Path(runDir, FOLDER);
        this.conf = conf;
        this.othersToDrop = newRun;
    }

    /**
     * The store of a new run in {@code runDir}: checkpoints already there (of a run it replaces)
     * stay until this run's first checkpoint is complete, then all of them are removed.
     */
    public static CheckpointStore forNewRun(Path runDir, Configuration conf) {
        return new CheckpointStore(runDir, conf, true);
    }

    /** The checkpoints' folder ({@code RUN/checkpoints}), for messages. */
    public String folder() {
        return runDir + "/" + FOLDER;
    }

    /**
     * Writes {@code checkpoint} as the newest one, then drops all but the last {@value #KEEP} (all
     * but this one after a new run's first).
     *
     * @throws UserError  naming the folder and the cause when the file system refuses the write
     *                    (full, no permission, a file in place of a folder); the earlier checkpoints stay
     * @throws minibatch.RunFailure likewise for any other failed write
     */
    public void write(Checkpoint checkpoint) {
        long step = checkpoint.state().step();
        String name = String.format(Locale.ROOT, "step-%09d", step);
        Path tmp = new Path(dir, "." + name + ".tmp");
        FileSystem fs = null;
        try {
            fs = dir.getFileSystem(conf);
            fs.delete(tmp, true);
            if (!fs.mkdirs(tmp)) {
                throw new IOException("cannot create " + tmp);
            }
            CheckpointFormat.write(fs, tmp, checkpoint);
            Path done = new Path(dir, name);
            fs.delete(done, true);
            if (!fs.rename(tmp, done)) {
                throw new IOException("cannot rename " + tmp + " to " + done);
            }
            List<Path> all = complete(fs);
            for (Path old : all) {
                if (othersToDrop ? !old.getName().equals(name) : all.indexOf(old) < all.size() - KEEP) {
                    fs.delete(old, true);
                }
            }
            othersToDrop = false;
        } catch (IOException e) {
            deleteQuietly(fs, tmp);
            throw WriteFailure.of("the checkpoint at step " + step, dir, e);
        }
    }

    /** Best effort: a half-written hidden folder is never read, but need not stay. */
    private static void deleteQuietly(FileSystem fs, Path tmp) {
        try {
            if (fs != null) {
                fs.delete(tmp, true);
            }
        } catch (IOException ignored) {
            // the write's own failure is the one to report
        }
    }

    /** Complete checkpoint folders, oldest first. */
    private List<Path> complete(FileSystem fs) throws IOException {
        if (!fs.exists(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory() && s.getPath().getName().matches("step-\\d{9}")) {
                out.add(s.getPath());
            }
        }
        out.sort(Comparator.comparing(Path::getName));
        return out;
    }

    /**
     * The newest checkpoint that reads back intact, or null. A damaged one (missing file, bad
     * checksum, wrong format) is skipped with a warning on {@code warnings}.
     *
     * @throws UserError when the newest one was written by an older format version
     */
    public Checkpoint latest(PrintStream warnings) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<Path> all = new ArrayList<>(complete(fs));
        Collections.reverse(all);
        for (Path p : all) {
            try {
                return CheckpointFormat.read(fs, p);
            } catch (CheckpointFormat.OlderVersion e) {
                throw new UserError("--resume: " + p + " is a version " + e.version + " checkpoint of an older "
                        + "spark-minibatch, whose mini-batches differ from this version's (" + CheckpointFormat.VERSION
                        + "); it cannot be resumed: start the run again (--overwrite)");
            } catch (IOException | RuntimeException e) {
                warnings.println("warning: skipping checkpoint " + p + ": " + UserError.firstLine(e));
            }
        }
        return null;
    }
}
