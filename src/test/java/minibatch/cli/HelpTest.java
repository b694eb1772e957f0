package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --help} groups every option under a topic, once, in lines of at most 100 columns. */
class HelpTest {
    @Test
    void trainHelpIsGroupedByTopicAndListsEveryOptionOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(System.err, "train", "--help"));
        } finally {
            System.setOut(stdout);
        }
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: spark-minibatch train [OPTIONS]\n"), help);
        int at = -1;
        for (String heading : List.of("Data:", "Network:", "Optimizer and learning-rate schedule:", "Steps and sampling:",
                "Run and output:", "Spark:", "Other:")) {
            int next = help.indexOf("\n" + heading + "\n");
            assertTrue(next > at, heading + " in order: " + help);
            at = next;
        }
        for (CommandLine.Model.OptionSpec option : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            String name = option.longestName();
            int count = help.split("(?m)^\\s+(-\\w, )?" + java.util.regex.Pattern.quote(name) + "[=\\s]", -1).length - 1;
            assertEquals(1, count, name + " listed once");
        }
        assertTrue(help.lines().allMatch(l -> l.length() <= 100), "lines fit 100 columns");
        assertTrue(help.contains("executors, divides by the rows") || help.contains("on the executors"),
                "the description is not broken mid-phrase");
        assertTrue(!help.contains("local\n") && !help.contains("train.\n"), "no token broken across lines");
    }

    @Test
    void everyCommandAnswersVersion() {
        for (String command : List.of("train", "evaluate", "predict", "compare", "gradcheck", "export")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                assertEquals(0, Main.execute(System.err, command, "--version"));
            } finally {
                System.setOut(stdout);
            }
            assertEquals("spark-minibatch 0.1.0", bytes.toString(StandardCharsets.UTF_8).strip(), command);
        }
    }
}
