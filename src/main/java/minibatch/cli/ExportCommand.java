package minibatch.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.WriteFailure;
import minibatch.model.ModelReader;
import minibatch.model.OnnxExport;
import minibatch.report.ResultFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code export}: a saved model as an ONNX file, for serving outside Spark; no Spark. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a saved model as an ONNX model (opset " + OnnxExport.OPSET + "): input 'features' float32 "
                + "[N, inputs] (what the model's features column takes: raw pixels 0..255 for a model of train), outputs "
                + "'probability' float32 [N, classes] and 'label' int64 [N]. Does not start Spark.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A run folder, or a model folder "
            + "(a run's model/ or one saved from Spark ML).")
    String model;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "onnx", description = "onnx. Default: ${DEFAULT-VALUE}")
    String to;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (any Hadoop path). "
            + "Default: RUN/model.onnx (the model folder's name + .onnx).")
    String out;

    @Option(names = "--overwrite", description = "Replace --out if it is an ONNX model this job exported (any other file, or a folder, is never replaced).")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (!to.equals("onnx")) {
            throw new UserError("--to must be onnx (got " + to + ")");
        }
        Configuration conf = new Configuration();
        Path folder = ModelOnData.modelFolder(model, conf);
        String target = out != null ? out : folder.suffix(".onnx").toString();
        // replacing a file of the model (its weights, say) would lose the model
        Path given = new Path(target);
        if (given.getFileSystem(conf).makeQualified(given).toString()
                .startsWith(folder.getFileSystem(conf).makeQualified(folder) + "/")) {
            throw new UserError("--out " + target + ": is inside the model folder " + folder + "; give a file outside it");
        }
        Path path = ResultFile.ONNX.checkReplaceable(target, "--out", conf);
        if (!overwrite && path.getFileSystem(conf).exists(path)) {
            throw new UserError("--out " + target + ": exists (use --overwrite to replace it)");
        }
        ModelReader.ModelFolder saved = ModelReader.readFolder(folder, conf);
        try {
            OnnxExport.write(saved.model(), saved.featureScale(), path, conf);
        } catch (IOException e) {
            throw WriteFailure.of("the ONNX model", target, e);
        }
        System.out.printf("wrote %s: ONNX opset %d, %s, features scaled by %s%n", target, OnnxExport.OPSET,
                saved.model().shape(), saved.featureScale());
        return 0;
    }
}
