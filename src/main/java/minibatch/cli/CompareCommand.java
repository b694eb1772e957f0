package minibatch.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import minibatch.report.RunComparison;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code compare RUN1 RUN2 ...}: one page of the runs' curves and numbers side by side; no Spark. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes one self-contained page that overlays finished runs' loss and test-accuracy curves and "
                + "tabulates their configurations and final numbers. Does not start Spark.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "2..*", description = "Run folders (each holds summary.json).")
    List<String> runs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "compare.html", description = "The page to write; an existing "
            + "file is replaced only if it is an earlier compare page. Default: ${DEFAULT-VALUE}")
    String out;

    @Override
    public Integer call() throws IOException {
        System.out.println("wrote " + RunComparison.write(runs, out, new Configuration()));
        return 0;
    }
}
