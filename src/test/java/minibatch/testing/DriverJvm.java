package minibatch.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import minibatch.cli.Main;

/** The CLI in a separate driver JVM, for tests that need their own SparkContext or a process to kill. */
public final class DriverJvm {
    /** SIGINT's number on Linux. */
    public static final int SIGINT = 2;
    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    private DriverJvm() {
    }

    /**
     * Starts {@code Main cliArgs} with the test's classpath and Spark's JVM flags; output to {@code log}.
     * A process started in the background by a non-interactive shell ({@code mvn -B test &} in a
     * script) inherits SIGINT ignored, and a JVM cannot undo that; so the driver starts through
     * coreutils' {@code env --default-signal}, where it exists, to get the default disposition back.
     */
    public static Process start(List<String> cliArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (ENV_RESETS_SIGNALS) {
            command.addAll(List.of("env", "--default-signal=INT,TERM"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("minibatch.jvm.flags").trim().split("\\s+")));
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(cliArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Whether {@code process} ignores signal {@code number} (Linux: the SigIgn mask in /proc). */
    public static boolean ignores(Process process, int number) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return new BigInteger(line.substring(7).strip(), 16).testBit(number - 1);
            }
        }
        throw new IllegalStateException("no SigIgn line for process " + process.pid());
    }

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT,TERM", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
