package minibatch.cli;

import minibatch.config.TrainDefaults;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Option defaults from {@code conf/train.properties} ({@link TrainDefaults}); command-line options win. */
public final class ConfDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return TrainDefaults.get(option.longestName().replaceFirst("^-+", ""));
        }
        return null;
    }
}
