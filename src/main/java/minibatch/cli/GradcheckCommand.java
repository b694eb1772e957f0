package minibatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.data.LabeledImage;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.LabeledImageReader;
import minibatch.data.idx.MnistFiles;
import minibatch.model.ModelReader;
import minibatch.model.SavedModel;
import minibatch.nn.Activation;
import minibatch.nn.GradientCheck.BlockError;
import minibatch.nn.GradientCheck.GradientFunction;
import minibatch.nn.GradientCheck;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerGradientCheck;
import minibatch.nn.layers.LayerInitializer;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerPass;
import minibatch.nn.layers.LayerSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gradcheck}: backprop against central finite differences, per parameter block, on a small
 * random network and batch for each activation, on a random layer network ({@code --layers}), or on
 * a saved model and a few real test rows.
 * Exits 1 when an error exceeds the threshold. Needs no Spark cluster.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Checks backprop against central finite differences of the loss (without the 1e-7 guard, "
                + "which backprop ignores), per parameter block; exits 1 above --threshold.")
public final class GradcheckCommand implements Callable<Integer> {
    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "all",
            description = "sigmoid, relu, tanh, step, or all. Default: ${DEFAULT-VALUE}")
    String activation;

    @Option(names = "--hidden", paramLabel = "SIZES", split = ",", defaultValue = "10,8",
            description = "Hidden layer widths of the random network. Default: ${DEFAULT-VALUE}")
    int[] hidden;

    @Option(names = "--inputs", paramLabel = "N", defaultValue = "20", description = "Inputs of the random network. Default: ${DEFAULT-VALUE}")
    int inputs;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "5", description = "Classes of the random network. Default: ${DEFAULT-VALUE}")
    int classes;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "8", description = "Rows in the batch. Default: ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random network and batch. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--model", paramLabel = "DIR", description = "Check a saved model (a run's model/ folder) instead, on "
            + "the first --rows rows of the test set in --data.")
    String model;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist",
            description = "MNIST folder for --model. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Check a random layer network instead, e.g. "
            + "conv3x3x4,relu,maxpool2 (tokens conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], dense<N>, dropout<P>, "
            + "sigmoid, relu, tanh, step; the output layer and softmax are appended) on --image rows; "
            + "--hidden, --inputs and --activation do not apply.")
    String layers;

    @Option(names = "--image", paramLabel = "HxWxC", defaultValue = "8x8x2",
            description = "Shape of the rows for --layers, channels last. Default: ${DEFAULT-VALUE}")
    String image;

    @Option(names = "--threshold", paramLabel = "E", defaultValue = "1e-6",
            description = "Largest acceptable relative error. Default: ${DEFAULT-VALUE}")
    double threshold;

    @Option(names = "--step", paramLabel = "H", defaultValue = "1e-5", description = "Finite-difference step. Default: ${DEFAULT-VALUE}")
    double h;

    /** Replaced by tests to check that a wrong gradient is caught. */
    java.util.function.Function<NetworkShape, GradientFunction> gradient = GradientCheck::backprop;

    @Override
    public Integer call() throws IOException {
        if (rows <= 0 || inputs <= 0 || classes < 2 || !(threshold > 0) || !(h > 0)) {
            throw new UserError("--rows, --inputs and --threshold must be > 0 and --classes >= 2");
        }
        PrintStream out = System.out;
        boolean ok = true;
        if (layers != null) {
            if (model != null) {
                throw new UserError("--layers checks a random network: it cannot be combined with --model");
            }
            ok = checkLayers(out);
        } else if (model != null) {
            Configuration conf = new Configuration();
            SavedModel saved = ModelReader.readModelFolder(new Path(model), conf);
            IdxImageSet test = MnistFiles.test(data, conf, saved.shape().classes());
            Batch batch = testRows(test, conf);
            if (saved.shape() instanceof LayerNetwork stack) {
                requirePixels(batch, stack.inputs());
                requireRowsFit(stack);
                ok = print(out, String.format(Locale.ROOT, "model %s %s, %d rows", model, stack, batch.labels.length),
                        LayerGradientCheck.check(stack, saved.params(), batch.inputs, batch.labels, h));
            } else {
                ok = report(out, (NetworkShape) saved.shape(), saved.params(), batch, "model " + model);
            }
        } else {
            List<Activation> activations = activation.equalsIgnoreCase("all") ? List.of(Activation.values())
                    : List.of(parseActivation(activation));
            for (Activation act : activations) {
                NetworkShape shape = NetworkShape.of(inputs, hidden, classes, act);
                SplittableRandom rng = new SplittableRandom(seed);
                double[] params = new double[shape.parameterCount()];
                for (int i = 0; i < params.length; i++) {
                    params[i] = 0.5 * rng.nextGaussian();
                }
                Batch batch = new Batch(new double[rows][inputs], new int[rows]);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < inputs; i++) {
                        batch.inputs[r][i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
                    }
                    batch.labels[r] = rng.nextInt(classes);
                }
                ok &= report(out, shape, params, batch, "random network");
            }
        }
        out.println(ok ? "gradcheck: ok" : "gradcheck: FAILED (relative error above " + threshold + ")");
        return ok ? 0 : 1;
    }

    /** The random layer network of --layers on --image rows: weights as initialised, biases 0.1 · N(0,1), in float64. */
    private boolean checkLayers(PrintStream out) {
        LayerNetwork network = layerNetwork();
        requireRowsFit(network);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = LayerInitializer.initialize(network, rng);
        for (LayerNetwork.PlacedLayer l : network.layers()) {
            for (int i = l.biasOffset(); i < l.biasOffset() + l.biasCount(); i++) {
                params[i] = 0.1 * rng.nextGaussian(); // not 0, so that a wrong bias gradient shows in every block
            }
        }
        int size = network.input().size();
        Batch batch = new Batch(new double[rows][size], new int[rows]);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < size; i++) {
                batch.inputs[r][i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
            }
            batch.labels[r] = rng.nextInt(classes);
        }
        List<BlockError> blocks = LayerGradientCheck.check(network, params, batch.inputs, batch.labels, h);
        return print(out, String.format(Locale.ROOT, "random layer network %s, %d rows", network, rows), blocks);
    }

    /** The check runs every row in one pass: their buffers must fit one pass's. */
    private void requireRowsFit(LayerNetwork network) {
        int most = LayerPass.rowsFor(network);
        if (rows > most) {
            throw new UserError("--rows " + rows + ": " + network + " checks at most " + most + " rows at once");
        }
    }

    private LayerNetwork layerNetwork() {
        ImageShape shape;
        try {
            shape = ImageShape.parse(image);
        } catch (IllegalArgumentException e) {
            throw new UserError("--image: " + e.getMessage());
        }
        try {
            return LayerNetwork.of(shape, LayerSpec.parse(layers), classes);
        } catch (IllegalArgumentException e) {
            throw new UserError("--layers: " + e.getMessage());
        }
    }

    private static Activation parseActivation(String name) {
        try {
            return Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("--activation: " + e.getMessage());
        }
    }

    private record Batch(double[][] inputs, int[] labels) {
    }

    private Batch testRows(IdxImageSet test, Configuration conf) throws IOException {
        List<LabeledImage> first = LabeledImageReader.readFirst(test, conf, rows);
        Batch batch = new Batch(new double[first.size()][test.pixelsPerImage()], new int[first.size()]);
        for (int r = 0; r < first.size(); r++) {
            Pixels.scale(first.get(r).pixels(), batch.inputs[r]);
            batch.labels[r] = first.get(r).label();
        }
        return batch;
    }

    private void requirePixels(Batch batch, int inputs) {
        if (batch.inputs[0].length != inputs) {
            throw new UserError("--data " + data + ": images have " + batch.inputs[0].length + " pixels, the model expects "
                    + inputs);
        }
    }

    private boolean report(PrintStream out, NetworkShape shape, double[] params, Batch batch, String what) {
        requirePixels(batch, shape.inputs());
        List<BlockError> blocks = GradientCheck.check(shape, params, batch.inputs, batch.labels, gradient.apply(shape), h);
        return print(out, String.format(Locale.ROOT, "%s %s, %d rows", what, shape, batch.labels.length), blocks);
    }

    /** Prints {@code header} and a line per block; whether every block is within the threshold. */
    private boolean print(PrintStream out, String header, List<BlockError> blocks) {
        out.println(header);
        out.printf(Locale.ROOT, "  %-5s %8s %14s %14s %14s%n", "block", "params", "max|backprop|", "max|numeric|", "rel. error");
        boolean ok = true;
        List<String> zero = new ArrayList<>();
        for (BlockError b : blocks) {
            boolean pass = b.maxRelativeError() <= threshold;
            ok &= pass;
            if (b.maxAbsAnalytic() == 0) {
                zero.add(b.name());
            }
            out.printf(Locale.ROOT, "  %-5s %8d %14.6e %14.6e %14.3e%s%n", b.name(), b.size(), b.maxAbsAnalytic(),
                    b.maxAbsNumeric(), b.maxRelativeError(), pass ? "" : "  <-- above threshold");
        }
        if (!zero.isEmpty()) {
            out.println("  backprop gradient is exactly 0 for " + String.join(", ", zero)
                    + ": these parameters cannot learn");
        }
        return ok;
    }
}
