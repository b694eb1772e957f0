package minibatch.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * One validated IDX file on any Hadoop file system, raw or compressed (codec chosen by extension,
 * e.g. {@code .gz}). {@link #inspect} reads only the header and checks the exact length; the data
 * is read later, slice by slice, on the executors with {@link #openAtRecord}.
 */
public final class IdxFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BUFFER = 1 << 16;

    private final String path;
    private final IdxHeader header;
    private final boolean compressed;

    private IdxFile(String path, IdxHeader header, boolean compressed) {
        this.path = path;
        this.header = header;
        this.compressed = compressed;
    }

    /**
     * Opens {@code path}, checks its header against {@code expectedMagic} and checks that the file
     * holds exactly the bytes the header promises (for compressed files, by decompressing once).
     *
     * @throws UserError naming the file and the defect
     */
    public static IdxFile inspect(Path path, Configuration conf, int expectedMagic) {
        String name = path.toString();
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status = status(fs, path);
            if (status.getLen() == 0) {
                throw new UserError(name + ": empty file");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(fs, path, codec), BUFFER))) {
                IdxHeader header = IdxHeader.read(in, expectedMagic, name);
                long expected = header.bodyBytes();
                long actual = codec == null ? status.getLen() - header.headerBytes() : countUpTo(in, expected + 1);
                if (actual < expected) {
                    throw new UserError(String.format("%s: short data: the header declares %d bytes of data, the file holds %d",
                            name, expected, actual));
                }
                if (actual > expected) {
                    String extra = codec == null ? (actual - expected) + " trailing byte(s)" : "trailing bytes";
                    throw new UserError(String.format("%s: extra data: %s after the %d bytes the header declares",
                            name, extra, expected));
                }
                return new IdxFile(name, header, codec != null);
            }
        } catch (IOException e) {
            String what = codec == null ? "cannot read" : "cannot read compressed data (corrupt or truncated?)";
            throw new UserError(name + ": " + what + ": " + UserError.firstLine(e), e);
        }
    }

    private static FileStatus status(FileSystem fs, Path path) throws IOException {
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new UserError(path + ": not found");
        }
        if (status.isDirectory()) {
            throw new UserError(path + ": is a directory, expected an IDX file");
        }
        return status;
    }

    private static InputStream open(FileSystem fs, Path path, CompressionCodec codec) throws IOException {
        FSDataInputStream raw = fs.open(path);
        return codec == null ? raw : codec.createInputStream(raw);
    }

    /** Reads and discards up to {@code limit} bytes; returns how many there were. */
    private static long countUpTo(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[BUFFER];
        long n = 0;
        while (n < limit) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, limit - n));
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /**
     * A stream positioned at record {@code index} (0-based) of the data. Raw files seek; compressed
     * files are decompressed from the start and skipped forward.
     */
    public InputStream openAtRecord(Configuration conf, long index) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        long offset = header.headerBytes() + index * header.recordBytes();
        if (!compressed) {
            FSDataInputStream in = fs.open(p, BUFFER);
            in.seek(offset);
            return in;
        }
        InputStream in = new BufferedInputStream(open(fs, p, new CompressionCodecFactory(conf).getCodec(p)), BUFFER);
        in.skipNBytes(offset);
        return in;
    }

    public String path() {
        return path;
    }

    public IdxHeader header() {
        return header;
    }

    public boolean compressed() {
        return compressed;
    }
}
