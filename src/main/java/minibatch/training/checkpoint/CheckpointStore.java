package minibatch.training.checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a run under {@code OUT/checkpoints/step-NNNNNNNNN/}, each in
 * {@link CheckpointFormat}. Each is written to a hidden folder and renamed, so a folder with the
 * final name is complete; the last {@value #KEEP} are kept.
 */
public final class CheckpointStore {
    public static final String FOLDER = "checkpoints";
    static final int KEEP = 2;

    private final Path runDir;
    private final Path dir;
    private final Configuration conf;

    public CheckpointStore(Path runDir, Configuration conf) {
        this.runDir = runDir;
        this.dir = new Path(runDir, FOLDER);
        this.conf = conf;
    }

    /** The checkpoints' folder ({@code RUN/checkpoints}), for messages. */
    public String folder() {
        return runDir + "/" + FOLDER;
    }

    /** Writes {@code checkpoint} as the newest one and drops all but the last {@value #KEEP}. */
    public void write(Checkpoint checkpoint) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        String name = String.format(Locale.ROOT, "step-%09d", checkpoint.state().step());
        Path tmp = new Path(dir, "." + name + ".tmp");
        fs.delete(tmp, true);
        fs.mkdirs(tmp);
        CheckpointFormat.write(fs, tmp, checkpoint);
        Path done = new Path(dir, name);
        fs.delete(done, true);
        if (!fs.rename(tmp, done)) {
            throw new IOException("cannot rename " + tmp + " to " + done);
        }
        List<Path> all = complete(fs);
        for (int i = 0; i < all.size() - KEEP; i++) {
            fs.delete(all.get(i), true);
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
