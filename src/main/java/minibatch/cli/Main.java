package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import minibatch.Build;
import minibatch.RunFailure;
import minibatch.UserError;
import minibatch.config.SecretRedaction;
import org.apache.commons.io.output.TeeOutputStream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point for {@code spark-submit --class minibatch.cli.Main app.jar COMMAND [options]}.
 * User mistakes end with one {@code error: ...} line on stderr and exit status 2.
 */
@Command(name = "spark-minibatch", mixinStandardHelpOptions = true,
        description = "Distributed mini-batch SGD for neural-network classifiers on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, GradcheckCommand.class,
            BenchCommand.class, ConvertCommand.class, CompareCommand.class, ExportCommand.class})
public final class Main implements Runnable {
    /** Exit status for user mistakes (bad option, bad file). */
    public static final int USAGE_ERROR = 2;
    /** Exit status for a run that failed after Spark's retries ({@link RunFailure}). */
    public static final int RUN_FAILED = 1;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command (try: train --help or gradcheck --help)");
    }

    /** Runs a command and returns its exit status, without exiting; for tests and embedding. */
    public static int execute(PrintStream err, String... args) {
        return execute(err, false, args);
    }

    /** As above; with {@code handleSignals}, {@code train} stops cleanly on SIGINT/SIGTERM (the CLI process). */
    static int execute(PrintStream err, boolean handleSignals, String... args) {
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof TrainCommand train) {
                    train.handleSignals = handleSignals;
                }
                return made;
            }
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        HelpTopics.apply(cli);
        // every command answers --version as the root does (set here: Build.VERSION is read at run time)
        cli.getCommandSpec().version("spark-minibatch " + Build.VERSION);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().version(cli.getCommandSpec().version()));
        // error lines quote what the user typed (picocli echoes a malformed --conf): no secret in them
        SecretRedaction redaction = ErrorLineRedaction.of(args);
        cli.setParameterExceptionHandler((ex, a) -> {
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
            }
            err.println(redaction.text("error: " + message));
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            UserError user = cause(ex, UserError.class);
            if (user != null) {
                // one line, also where a message quotes a server's multi-line answer (HDFS, YARN)
                err.println(redaction.text("error: " + UserError.firstLine(user)));
                return USAGE_ERROR;
            }
            RunFailure failure = cause(ex, RunFailure.class);
            if (failure != null) {
                err.println(redaction.text("error: " + failure.getMessage()));
                return RUN_FAILED;
            }
            // a path the user typed that Hadoop refuses (a failed run's own causes were handled above)
            String pathMistake = HadoopPathMistake.line(ex);
            if (pathMistake != null) {
                err.println(redaction.text("error: " + pathMistake));
                return USAGE_ERROR;
            }
            throw ex;
        });
        // every command's console lines too (a --data URL with a password, the "wrote ..." lines)
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new RedactedLines(stdout, redaction), false, StandardCharsets.UTF_8));
        try {
            return cli.execute(args);
        } finally {
            System.out.flush();
            System.setOut(stdout);
        }
    }

    /** The {@code type} behind {@code e}, if any (Spark may wrap it). */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    public static void main(String[] args) {
        boolean inCluster = "cluster".equals(System.getProperty("spark.submit.deployMode"));
        // in the cluster the error line must also reach the exception below: keep a copy of stderr's lines
        ByteArrayOutputStream errorLines = inCluster ? new ByteArrayOutputStream() : null;
        PrintStream err = inCluster
                ? new PrintStream(new TeeOutputStream(System.err, errorLines), true, StandardCharsets.UTF_8) : System.err;
        int status = execute(err, true, args);
        System.out.flush();
        // stop Spark here, not in the commands, so that tests can share one session
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        if (status != 0 && inCluster) {
            // A driver in the cluster (YARN's application master runs main in a thread): an exit would be
            // reported as "Shutdown hook called before final status was reported"; a thrown exception's
            // message reaches spark-submit's output as the application's diagnostics, and its status is failed.
            String line = errorLines.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("error: "))
                    .reduce((a, b) -> b).orElse("error: the driver ended with status " + status);
            throw new DriverFailed(line + " (driver exit status " + status + ")");
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The driver's one error line, for a cluster manager that reports a failed driver by its exception. */
    static final class DriverFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DriverFailed(String message) {
            super(message, null, false, false); // no stack trace: the message is the report
        }
    }
}
