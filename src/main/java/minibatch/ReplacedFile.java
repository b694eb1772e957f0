package minibatch;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One result file on any Hadoop file system, written to a hidden sibling and renamed into place only
 * once complete: a failed or interrupted write never leaves a half-written file under the final name.
 */
public final class ReplacedFile {
    private ReplacedFile() {
    }

    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** {@code fs}, or for local files the raw file system: no {@code .crc} file beside what it writes. */
    public static FileSystem withoutChecksumFiles(FileSystem fs) {
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : fs;
    }

    /**
     * Writes {@code content} to {@code path}, replacing an existing file only once the new one is
     * complete; a folder at {@code path} is never replaced.
     */
    public static void write(Path path, Configuration conf, Content content) throws IOException {
        FileSystem fs = withoutChecksumFiles(path.getFileSystem(conf));
        if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
            throw new IOException(path + " is a folder, not a file; not replacing it");
        }
        Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                content.writeTo(out);
            }
            // the old file steps aside, not away: if the new one cannot take its name, it comes back
            Path aside = new Path(path.getParent(), "." + path.getName() + ".replaced");
            fs.delete(aside, false); // left by a write that died between its renames
            boolean moved = fs.exists(path) && fs.rename(path, aside);
            if (!fs.rename(tmp, path)) {
                if (moved) {
                    fs.rename(aside, path);
                }
                throw new IOException("cannot rename " + tmp + " to " + path);
            }
            if (moved) {
                fs.delete(aside, false);
            }
        } finally {
            fs.delete(tmp, false);
        }
    }
}
