package minibatch.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import minibatch.UserError;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convert}: copies a data folder's train and test sets into another format with Spark's
 * writers, keeping the canonical row order (so training on the copy gives the same weights).
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copies a data folder (train and test sets, any supported format) to CSV (Kaggle's label,pixel0,... "
                + "layout with a header), Parquet (label int, features vector) or LibSVM, as OUT/train.EXT and OUT/test.EXT.")
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "Data folder to read. Default: ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", description = "Format of --data: auto, idx, csv, "
            + "parquet or libsvm. Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--to", paramLabel = "FORMAT", required = true, description = "csv, parquet or libsvm.")
    String to;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to create (any Hadoop path); must not "
            + "exist unless --overwrite, and not hold --data.")
    String out;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Files per set; 0 = one per core. "
            + "Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--overwrite", description = "Replace --out if it holds an earlier convert's output (and nothing else).")
    boolean overwrite;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() throws IOException {
        DataFormat source = OptionValues.parse("--format", format, DataFormat::parse);
        DataFormat target = OptionValues.parse("--to", to, DataFormat::parse);
        if (target == DataFormat.AUTO || target == DataFormat.IDX) {
            throw new UserError("--to must be csv, parquet or libsvm (got " + to + ")");
        }
        if (partitions < 0) {
            throw new UserError("--partitions must be >= 0 (got " + partitions + ")");
        }
        SparkSession spark = sparkOptions.session("spark-minibatch convert");
        CommandOutput output = CommandOutput.prepare("convert", "--out", out, overwrite, ConvertCommand::writtenByConvert,
                List.of(Map.entry("--data", data)), spark.sparkContext().hadoopConfiguration());
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        ImageSource train = ImageSources.open(spark, data, "--data", source, "train", 0, 0, ImageSources.Use.TRAINING);
        ImageSource test = ImageSources.open(spark, data, "--data", source, "test", 0, train.pixelsPerImage(),
                ImageSources.Use.TRAINING);
        // Written beside the target and put in place at the end: a failed run leaves the old folder as it was.
        Path staging = output.staging();
        try {
            TableExport.write(spark, train, parts, target, new Path(staging, "train." + target.id()).toString());
            TableExport.write(spark, test, parts, target, new Path(staging, "test." + target.id()).toString());
        } catch (Exception e) { // Spark's writers may throw checked exceptions undeclared
            throw output.failed(e);
        }
        output.commit();
        System.out.printf("wrote %d train and %d test rows from %s as %s to %s%n", train.count(), test.count(), data,
                target.id(), out);
        return 0;
    }

    /** The entries of a folder convert wrote, besides the marker: train and test sets in a table format. */
    private static boolean writtenByConvert(String name) {
        return name.matches("(train|test)\\.(csv|parquet|libsvm)");
    }
}
