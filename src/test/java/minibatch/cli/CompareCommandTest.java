package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code compare} puts two real runs on one self-contained page, and refuses what is not a run. */
@ExtendWith(LocalSpark.class)
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsOnOnePage() throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 40, 3);
        for (String rate : new String[] {"0.1", "0.5"}) {
            assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", dir.resolve("lr-" + rate)
                    .toString(), "--hidden", "4", "--steps", "40", "--batch-size", "20", "--learning-rate", rate,
                    "--progress-seconds", "100"));
        }
        Path page = dir.resolve("compare.html");
        assertEquals(0, Main.execute(System.err, "compare", dir.resolve("lr-0.1").toString(), dir.resolve("lr-0.5").toString(),
                "--out", page.toString()));
        String html = Files.readString(page);
        assertTrue(html.contains("<h1>2 runs compared</h1>") && html.contains("<th>lr-0.1</th><th>lr-0.5</th>"), html);
        assertTrue(html.contains("<td>0.1 constant</td><td>0.5 constant</td>"), "the configurations side by side");
        assertEquals(2, html.split("src=\"data:image/png;base64,", -1).length - 1, "loss and accuracy charts, inlined");
        assertTrue(!html.contains("href=") && !html.contains("<script"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "compare", dir.resolve("lr-0.1").toString(),
                data.toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(2, status);
        assertEquals("error: " + data + ": not a finished run (no summary.json)", err.toString(StandardCharsets.UTF_8).strip());
    }
}
