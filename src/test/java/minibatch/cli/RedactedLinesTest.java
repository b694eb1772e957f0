package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import minibatch.config.SecretRedaction;
import org.junit.jupiter.api.Test;
import static minibatch.config.SecretRedaction.REDACTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Console lines lose their secrets whole, however they are cut into writes, and keep everything else. */
class RedactedLinesTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(new RedactedLines(sink, SecretRedaction.builtIn()), false,
            StandardCharsets.UTF_8);

    private String shown() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPasswordSplitAcrossWritesIsHiddenOnceTheLineEnds() {
        console.print("data: from s3a://alice:hun");
        assertEquals("", shown(), "nothing before the line is complete");
        console.print("ter2@bucket/mnist, 2 partitions");
        console.println();
        assertEquals("data: from s3a://alice:" + REDACTED + "@bucket/mnist, 2 partitions\n", shown());
    }

    @Test
    void progressLinesEndAtACarriageReturnAndAFlushShowsTheUnfinishedLine() {
        console.print("\rstep 10 token=abc");
        console.flush();
        assertEquals("\rstep 10 token=" + REDACTED, shown());
        console.print("\rstep 20 ünïcode 😀 kept");
        console.flush();
        assertEquals("\rstep 10 token=" + REDACTED + "\rstep 20 ünïcode 😀 kept", shown());
    }

    @Test
    void linesWithoutSecretsPassUnchanged() {
        console.printf("accuracy %.4f%nwrote %s%n", 0.9876, "/runs/a/evaluation-test.json");
        assertEquals("accuracy 0.9876\nwrote /runs/a/evaluation-test.json\n", shown());
    }
}
