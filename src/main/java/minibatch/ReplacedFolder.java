package minibatch;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A folder written in full under a hidden sibling, then put in place: a folder already at the
 * target is moved aside, and deleted only once the new one stands under the target's name. Nothing
 * of the old folder is touched before the new one is complete.
 */
public final class ReplacedFolder {
    private ReplacedFolder() {
    }

    /** A new hidden sibling of {@code target} to write into ({@code .NAME.tmp-UUID}); not created. */
    public static Path stagingFor(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** The file standing where a folder above {@code target} must be (the nearest existing entry above it), or null. */
    public static Path fileAbove(FileSystem fs, Path target) throws IOException {
        for (Path p = target.getParent(); p != null; p = p.getParent()) {
            if (fs.exists(p)) {
                return fs.getFileStatus(p).isDirectory() ? null : p;
            }
        }
        return null;
    }

    /** Renames {@code staged} to {@code target}, replacing what is there only after the rename. */
    public static void swap(FileSystem fs, Path staged, Path target) throws IOException {
        if (!fs.exists(target)) {
            rename(fs, staged, target);
            return;
        }
        Path aside = new Path(target.getParent(), "." + target.getName() + ".replaced-" + UUID.randomUUID());
        rename(fs, target, aside);
        try {
            rename(fs, staged, target);
        } catch (IOException e) {
            fs.rename(aside, target); // the old folder back under its name
            throw e;
        }
        fs.delete(aside, true);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }
}
