package minibatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * {@code train --help} with its options grouped by topic (data, network, optimizer and schedule,
 * steps and sampling, run and output, Spark), each under a heading; options no topic names go
 * under "Other". Help text is wrapped at 100 columns and the synopsis is one line.
 */
final class HelpTopics {
    private static final Map<String, List<String>> TRAIN = new LinkedHashMap<>();

    static {
        TRAIN.put("Data", List.of("--data", "--format", "--channels", "--classes", "--replicate", "--validation-fraction"));
        TRAIN.put("Network", List.of("--hidden", "--activation", "--layers", "--init", "--dropout"));
        TRAIN.put("Optimizer and learning-rate schedule", List.of("--optimizer", "--learning-rate", "--momentum", "--beta1",
                "--beta2", "--epsilon", "--rho", "--weight-decay", "--lr-schedule", "--lr-decay-steps", "--lr-decay-rate",
                "--lr-min", "--warmup-steps"));
        TRAIN.put("Steps and sampling", List.of("--batch-size", "--steps", "--epochs", "--seed", "--sampling", "--sampler",
                "--partitions", "--early-stopping-patience"));
        TRAIN.put("Run and output", List.of("--out", "--overwrite", "--checkpoint-every", "--resume", "--progress-seconds",
                "--profile", "--batch-stats"));
        TRAIN.put("Spark", List.of("--master", "--conf"));
    }

    private HelpTopics() {
    }

    /** Wraps {@code cli}'s help at 100 columns and groups {@code train}'s options by topic. */
    static void apply(CommandLine cli) {
        cli.setUsageHelpWidth(100);
        CommandLine train = cli.getSubcommands().get("train");
        if (train != null) {
            train.getCommandSpec().usageMessage().abbreviateSynopsis(true);
            train.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                    help -> grouped(help, TRAIN));
        }
    }

    static String grouped(CommandLine.Help help, Map<String, List<String>> topics) {
        StringBuilder out = new StringBuilder();
        Set<OptionSpec> shown = new LinkedHashSet<>();
        Map<String, List<OptionSpec>> sections = new LinkedHashMap<>();
        for (var topic : topics.entrySet()) {
            List<OptionSpec> options = new ArrayList<>();
            for (String name : topic.getValue()) {
                OptionSpec o = help.commandSpec().findOption(name);
                if (o != null && shown.add(o)) {
                    options.add(o);
                }
            }
            sections.put(topic.getKey(), options);
        }
        List<OptionSpec> other = new ArrayList<>();
        for (OptionSpec o : help.commandSpec().options()) {
            if (!shown.contains(o)) {
                other.add(o);
            }
        }
        sections.put("Other", other);
        for (var section : sections.entrySet()) {
            if (section.getValue().isEmpty()) {
                continue;
            }
            CommandLine.Help.Layout layout = help.createDefaultLayout();
            for (OptionSpec o : section.getValue()) {
                layout.addOption(o, help.parameterLabelRenderer());
            }
            out.append(section.getKey()).append(":\n").append(layout).append('\n');
        }
        return out.toString();
    }
}
