package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import minibatch.ReplacedFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** A single JSON result file (bench.json, evaluation.json), written to a hidden sibling and renamed. */
public final class JsonFile {
    private JsonFile() {
    }

    /** Writes {@code json} pretty-printed, replacing {@code path} only once the new file is complete. */
    public static void write(Path path, JsonNode json, Configuration conf) throws IOException {
        ReplacedFile.write(path, conf, out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, json));
    }
}
