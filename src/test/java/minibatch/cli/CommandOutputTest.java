package minibatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output at or above an input is refused however either path is written. */
class CommandOutputTest {
    @TempDir
    Path dir;

    @Test
    void relativeAbsoluteAndFileUriPathsCompareAsOne() throws IOException {
        Configuration conf = new Configuration();
        Path data = Files.createDirectories(dir.resolve("run/data"));
        String relative = Path.of("").toAbsolutePath().relativize(data).toString();
        String expected = CommandOutput.qualified(data.toString(), conf);
        for (String form : List.of(relative, "file:" + data, "file://" + data, data + "/")) {
            assertEquals(expected, CommandOutput.qualified(form, conf), form);
        }
        for (String out : List.of(dir.resolve("run").toString(), "file:" + dir.resolve("run"),
                Path.of("").toAbsolutePath().relativize(dir.resolve("run")).toString())) {
            for (String in : List.of(relative, "file://" + data, data.toString())) {
                UserError e = assertThrows(UserError.class, () -> CommandOutput.requireOutsideInputs("--out", out,
                        List.of(Map.entry("--data", in)), conf), out + " over " + in);
                assertEquals("--out " + out + ": holds the input --data " + in + "; give a folder outside it", e.getMessage());
            }
        }
        // a sibling whose name starts like the input's is not above it
        CommandOutput.requireOutsideInputs("--out", dir.resolve("run/dat").toString(),
                List.of(Map.entry("--data", data.toString())), conf);
    }
}
