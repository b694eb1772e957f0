package minibatch.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import minibatch.UserError;
import minibatch.data.SamplingPath;
import minibatch.nn.Activation;

/**
 * Everything a training run is configured with, validated once here. Invalid values raise a
 * {@link UserError} that names the command-line option.
 *
 * @param data          folder with the four IDX files (any Hadoop path)
 * @param out           run folder to create (any Hadoop path)
 * @param master        Spark master URL, or null to keep what spark-submit set
 * @param hidden        hidden layer widths, e.g. {@code [50]}
 * @param steps         number of steps, or 0 when {@code epochs} is set
 * @param epochs        number of epochs (rowCount / batchSize steps each), or 0 when {@code steps} is set
 * @param partitions    partitions of the cached training data, or 0 for Spark's default parallelism
 * @param classes       number of output classes; every label must be below it
 * @param sampler       how the training rows are cached and sampled
 * @param progressSeconds seconds between progress lines on the console
 * @param sparkConf     extra Spark settings ({@code --conf k=v}), in the order given
 */
public record TrainingConfig(
        String data,
        String out,
        String master,
        int[] hidden,
        Activation activation,
        int batchSize,
        double learningRate,
        long steps,
        int epochs,
        long seed,
        int partitions,
        int classes,
        SamplingPath sampler,
        boolean overwrite,
        double progressSeconds,
        Map<String, String> sparkConf) {

    public TrainingConfig {
        require(data != null && !data.isBlank(), "--data must name a folder");
        require(out != null && !out.isBlank(), "--out must name a folder");
        require(hidden != null && hidden.length > 0, "--hidden needs at least one layer size");
        for (int h : hidden) {
            require(h > 0, "--hidden sizes must be > 0 (got " + Arrays.toString(hidden) + ")");
        }
        require(activation != null, "--activation is required");
        require(sampler != null, "--sampler is required");
        require(batchSize > 0, "--batch-size must be > 0 (got " + batchSize + ")");
        require(learningRate > 0 && Double.isFinite(learningRate),
                "--learning-rate must be a finite number > 0 (got " + learningRate + ")");
        require(steps >= 0 && epochs >= 0, "--steps and --epochs must be > 0");
        require(!(steps > 0 && epochs > 0), "give either --steps or --epochs, not both");
        require(steps > 0 || epochs > 0, "--steps or --epochs must be > 0");
        require(partitions >= 0, "--partitions must be >= 0, 0 meaning one per core (got " + partitions + ")");
        require(classes >= 2, "--classes must be >= 2 (got " + classes + ")");
        require(progressSeconds > 0 && Double.isFinite(progressSeconds),
                "--progress-seconds must be > 0 (got " + progressSeconds + ")");
        hidden = hidden.clone();
        sparkConf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf == null ? Map.of() : sparkConf));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }
}
