package minibatch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** What tests read from a finished run's {@code summary.json}. */
public final class RunSummary {
    private RunSummary() {
    }

    /** The {@code weights_sha256} of the run written to {@code run}. */
    public static String weightsSha256(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile()).get("weights_sha256").asText();
    }
}
