package minibatch.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import minibatch.UserError;
import minibatch.data.DataFormat;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.nn.Network;
import minibatch.nn.NetworkShape;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerSpec;

/**
 * Everything a training run is configured with, validated once here. Invalid values raise a
 * {@link UserError} that names the command-line option.
 *
 * @param data          folder with a train and a test set (IDX, CSV, Parquet or LibSVM; any Hadoop path)
 * @param format        the sets' format, or AUTO to tell by the folder's files
 * @param out           run folder to create (any Hadoop path)
 * @param master        Spark master URL, or null to keep what spark-submit set
 * @param hidden        hidden layer widths, e.g. {@code [50]}
 * @param steps         number of steps, or 0 when {@code epochs} is set
 * @param epochs        number of epochs (rowCount / batchSize steps each), or 0 when {@code steps} is set
 * @param partitions    partitions of the cached training data, or 0 for Spark's default parallelism
 * @param classes       number of output classes, every label below it; 0 = largest label + 1
 * @param sampler       how the steps run (every mode gives the same numbers)
 * @param withReplacement Poisson sampling (rows may repeat) instead of Bernoulli
 * @param weightDecay   L2 coefficient λ on weights (not biases): adds {@code λ·W} to the mean gradient
 * @param dropout       probability of dropping each hidden unit during training
 * @param validationFraction part of the training rows held out (seeded) to measure validation loss
 * @param patience      stop after this many evaluations without a lower validation loss (0 = never)
 * @param replicate     training images present this many times (copies shifted by up to 2 pixels), to
 *                      measure scaling with data size
 * @param channels      values per pixel: 1 (gray) or 3 (R, G, B from image folders or hub Parquet)
 * @param progressSeconds seconds between progress lines on the console
 * @param sparkConf     extra Spark settings ({@code --conf k=v}), in the order given
 * @param layers        the hidden layers as a spec ({@code --layers conv5x5x16,relu,maxpool2}), kept
 *                      in its canonical form; null for the dense network of {@code hidden} and
 *                      {@code activation}
 */
public record TrainingConfig(
        String data,
        DataFormat format,
        String out,
        String master,
        int[] hidden,
        Activation activation,
        Initializer initializer,
        int batchSize,
        double learningRate,
        OptimizerConfig optimizer,
        ScheduleConfig schedule,
        long steps,
        int epochs,
        long seed,
        int partitions,
        int classes,
        StepMode sampler,
        boolean withReplacement,
        double weightDecay,
        double dropout,
        double validationFraction,
        int patience,
        int replicate,
        int channels,
        boolean overwrite,
        double progressSeconds,
        Map<String, String> sparkConf,
        String layers) {

    public TrainingConfig {
        require(data != null && !data.isBlank(), "--data must name a folder");
        require(out != null && !out.isBlank(), "--out must name a folder");
        require(hidden != null && hidden.length > 0, "--hidden needs at least one layer size");
        for (int h : hidden) {
            require(h > 0, "--hidden sizes must be > 0 (got " + Arrays.toString(hidden) + ")");
        }
        require(activation != null, "--activation is required");
        require(initializer != null, "--init is required");
        require(sampler != null, "--sampler is required");
        require(optimizer != null && schedule != null, "an optimizer and a schedule are required");
        require(batchSize > 0, "--batch-size must be > 0 (got " + batchSize + ")");
        require(learningRate > 0 && Double.isFinite(learningRate),
                "--learning-rate must be a finite number > 0 (got " + learningRate + ")");
        require(steps >= 0 && epochs >= 0, "--steps and --epochs must be > 0");
        require(!(steps > 0 && epochs > 0), "give either --steps or --epochs, not both");
        require(steps > 0 || epochs > 0, "--steps or --epochs must be > 0");
        require(partitions >= 0, "--partitions must be >= 0, 0 meaning one per core (got " + partitions + ")");
        require(classes == 0 || classes >= 2, "--classes must be 0 (from the data) or >= 2 (got " + classes + ")");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be >= 0 (got " + weightDecay + ")");
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1) (got " + dropout + ")");
        require(validationFraction >= 0 && validationFraction < 1,
                "--validation-fraction must be in [0, 1) (got " + validationFraction + ")");
        require(patience >= 0, "--early-stopping-patience must be >= 0 (got " + patience + ")");
        require(patience == 0 || validationFraction > 0,
                "--early-stopping-patience needs --validation-fraction > 0 (it watches the validation loss)");
        require(replicate >= 1 && replicate <= 1000, "--replicate must be in 1..1000 (got " + replicate + ")");
        require(channels == 1 || channels == 3, "--channels must be 1 (gray) or 3 (R, G, B) (got " + channels + ")");
        require(progressSeconds > 0 && Double.isFinite(progressSeconds),
                "--progress-seconds must be > 0 (got " + progressSeconds + ")");
        if (layers != null) {
            try {
                layers = LayerSpec.parse(layers).toString();
            } catch (IllegalArgumentException e) {
                throw new UserError("--layers: " + e.getMessage());
            }
            require(dropout == 0, "--dropout drops units of --hidden layers; in --layers, dropout is a layer "
                    + "(e.g. dense128,relu,dropout0.5)");
        }
        hidden = hidden.clone();
        sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf == null ? Map.of() : sparkConf));
    }

    /**
     * The textbook run's settings on {@code data}: 784-50-10 sigmoid, std init, plain SGD, lr 0.1,
     * batch 100, Bernoulli sampling (in resident barrier steps where the cluster allows).
     */
    public static TrainingConfig textbook(String data, String out, long steps, long seed, int partitions) {
        return new TrainingConfig(data, DataFormat.AUTO, out, null, new int[] {50}, Activation.SIGMOID, Initializer.STD,
                100, 0.1, OptimizerConfig.SGD, ScheduleConfig.CONSTANT, steps, 0, seed, partitions, 10, StepMode.AUTO, false,
                0, 0, 0, 0, 1, 1, false, 2, Map.of(), null);
    }

    /** These settings with another sampling path. */
    public TrainingConfig withSampler(StepMode path) {
        return new TrainingConfig(data, format, out, master, hidden, activation, initializer, batchSize, learningRate,
                optimizer, schedule, steps, epochs, seed, partitions, classes, path, withReplacement, weightDecay,
                dropout, validationFraction, patience, replicate, channels, overwrite, progressSeconds, sparkConf, layers);
    }

    /** These settings with the hidden layers of {@code spec} ({@code --layers}), or null for {@code --hidden}. */
    public TrainingConfig withLayers(String spec) {
        return new TrainingConfig(data, format, out, master, hidden, activation, initializer, batchSize, learningRate,
                optimizer, schedule, steps, epochs, seed, partitions, classes, sampler, withReplacement, weightDecay,
                dropout, validationFraction, patience, replicate, channels, overwrite, progressSeconds, sparkConf, spec);
    }

    /** These settings with every training image present {@code k} times (see {@code --replicate}). */
    public TrainingConfig withReplicate(int k) {
        return new TrainingConfig(data, format, out, master, hidden, activation, initializer, batchSize, learningRate,
                optimizer, schedule, steps, epochs, seed, partitions, classes, sampler, withReplacement, weightDecay,
                dropout, validationFraction, patience, k, channels, overwrite, progressSeconds, sparkConf, layers);
    }

    /**
     * The settings that determine a run's numbers (not where it writes, how it reports, which
     * cluster runs it, or how its steps run: every sampler gives the same numbers): a resumed run
     * must have the same ones as the run that wrote the checkpoint.
     */
    public String fingerprint() {
        // checkpoint.json holds it: a password in the data's URL stays out (and rotating it changes no number)
        return String.join(";", "data=" + SecretRedaction.builtIn().text(data), "hidden=" + Arrays.toString(hidden), "activation=" + activation,
                "init=" + initializer, "batch=" + batchSize, "lr=" + learningRate, "optimizer=" + optimizer,
                "schedule=" + schedule, "steps=" + steps, "epochs=" + epochs, "seed=" + seed, "partitions=" + partitions,
                "classes=" + classes, "replacement=" + withReplacement, "l2=" + weightDecay,
                "dropout=" + dropout, "validation=" + validationFraction, "patience=" + patience, "replicate=" + replicate)
                // named only when not 1 or given, so that checkpoints written before the options still resume
                + (channels == 1 ? "" : ";channels=" + channels) + (layers == null ? "" : ";layers=" + layers);
    }

    /**
     * The network these settings train on images of shape {@code input} with {@code classes}
     * classes: the layer stack of {@code --layers}, or the dense network of {@code --hidden} and
     * {@code --activation}.
     *
     * @throws UserError when a layer does not fit the images (naming the layer and the sizes)
     */
    public Network network(ImageShape input, int classes) {
        if (layers == null) {
            return NetworkShape.of(input.size(), hidden, classes, activation);
        }
        LayerNetwork network;
        try {
            network = LayerNetwork.of(input, LayerSpec.parse(layers), classes);
        } catch (IllegalArgumentException e) {
            throw new UserError("--layers: " + e.getMessage() + " (the images are " + input + ")");
        }
        // a pass runs at least one row at a time: its buffers must fit an array and a task's share of a heap
        if (network.bufferValuesPerRow() > MAX_ROW_VALUES) {
            throw new UserError(String.format("--layers: one image of %s needs %d MB of buffers in a task, more than %d MB",
                    input, network.bufferValuesPerRow() * Double.BYTES >> 20, MAX_ROW_VALUES * Double.BYTES >> 20));
        }
        return network;
    }

    /**
     * Checks that the layers fit images of {@code size} ({@code [height, width]} of gray images, as a
     * local IDX header gives them), when both are known.
     *
     * @throws UserError as {@link #network} does
     */
    public void requireLayersFit(int[] size) {
        if (size != null && layers != null) {
            network(new ImageShape(size[0], size[1], 1), Math.max(2, classes));
        }
    }

    /** The most values a pass may keep for one row of a layer stack: 1 GB of doubles. */
    private static final long MAX_ROW_VALUES = 1L << 27;

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
