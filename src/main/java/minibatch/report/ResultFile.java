package minibatch.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one-file results a command writes to {@code --out} (evaluation JSON, bench.json, the compare
 * page, an ONNX model), and the check, before any work, that a path may take one: a command
 * replaces an earlier result of its own kind, recognised by its first bytes, and nothing else (a
 * user's file of the same name, a folder).
 */
public enum ResultFile {
    EVALUATION("an evaluation written by evaluate", head -> head.startsWith("{")
            && head.contains("\"mean_loss\"") && head.contains("\"macro_f1\"")),
    BENCH("a bench.json written by bench", head -> head.startsWith("{")
            && head.contains("\"spark_version\"") && head.contains("\"results\"")),
    COMPARISON("a page written by compare", head -> head.contains("<title>spark-minibatch runs compared</title>")),
    /**
     * ONNX's ModelProto as this job writes it: field 1 (ir_version, a one-byte varint), then field 2
     * (producer_name) of 15 bytes, "spark-minibatch".
     */
    ONNX("an ONNX model exported by this job", head -> head.length() > 19 && head.charAt(0) == 0x08
            && head.startsWith("\u0012\u000fspark-minibatch", 2));

    /** How much of an existing file is read to recognise it. */
    private static final int HEAD_BYTES = 8192;

    private final String description;
    private final Predicate<String> recognised;

    ResultFile(String description, Predicate<String> recognised) {
        this.description = description;
        this.recognised = recognised;
    }

    /**
     * The qualified path {@code file}, after checking that it is absent or one of this kind's
     * results (which the write then replaces).
     *
     * @throws UserError naming {@code option} and {@code file}: a folder, or a file this kind does not recognise
     */
    public Path checkReplaceable(String file, String option, Configuration conf) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = fs.exists(path) ? fs.getFileStatus(path) : null;
        if (status != null && status.isDirectory()) {
            throw new UserError(option + " " + file + ": is a folder; give a file name");
        }
        if (status != null && !recognised.test(head(fs, path))) {
            throw new UserError(option + " " + file + ": exists and is not " + description
                    + "; give another file name (nothing was replaced)");
        }
        return fs.makeQualified(path);
    }

    /** The first {@link #HEAD_BYTES} bytes of {@code path}, as ISO-8859-1 (any byte is one char). */
    private static String head(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1);
        }
    }
}
