package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import minibatch.ReplacedFile;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A single JSON result file (bench.json, evaluation.json), written to a hidden sibling and renamed. */
public final class JsonFile {
    private JsonFile() {
    }

    /** Fails with a UserError, before any work, if {@code file} cannot be a file to write. */
    public static Path checkWritable(String file, String option, Configuration conf) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
            throw new UserError(option + " " + file + ": is a folder; give a file name");
        }
        return fs.makeQualified(path);
    }

    /** Writes {@code json} pretty-printed, replacing {@code path} only once the new file is complete. */
    public static void write(Path path, JsonNode json, Configuration conf) throws IOException {
        ReplacedFile.write(path, conf, out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, json));
    }
}
