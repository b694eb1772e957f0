package minibatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import minibatch.cli.Main;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line run in-process, as a user runs it: exit status, standard output and standard error. */
public record CliRun(int status, String stdout, String stderr) {
    /** Runs {@code args}, capturing stdout too (commands print progress there); stderr is stripped. */
    public static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), args);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setOut(stdout);
        }
    }

    /** Exit status 2 and exactly the one line {@code expected} on stderr. */
    public void assertOneError(String expected) {
        assertEquals(2, status, stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertEquals(expected, stderr);
    }
}
