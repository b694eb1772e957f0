package minibatch.data.idx;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;

/**
 * IDX files as a Spark SQL data source, registered as {@code idx}:
 * {@code spark.read().format("idx").load(path)} or {@code CREATE TABLE t USING idx OPTIONS (path '...')}.
 * Options (names case-insensitive):
 * <ul>
 *   <li>{@code path}: a folder with the four MNIST files (raw or {@code .gz}), or one images file
 *       ({@code X-images-idx3-ubyte[.gz]}) with its labels file ({@code X-labels-idx1-ubyte[.gz]}) beside it;</li>
 *   <li>{@code set}: {@code train} (default) or {@code test}, for a folder;</li>
 *   <li>{@code labels}: the labels file, when it is not beside the images file under that name;</li>
 *   <li>{@code layout}: {@code pixels} (default) gives {@code (label int, pixels binary)}, one unsigned
 *       byte per pixel; {@code features} gives {@code (label double, features vector)}, the raw pixel
 *       values 0..255 as a dense vector, ready for a Spark ML estimator;</li>
 *   <li>{@code partitions}: how many slices the rows are read in (default: the default parallelism).</li>
 * </ul>
 * Both files are validated on the driver when the DataFrame is created (headers, exact lengths, equal
 * counts; only the labels are read there); executors read their own slices of the images file, in
 * file order: partition {@code i} of {@code n} holds rows {@code [count·i/n, count·(i+1)/n)}.
 */
public final class IdxDataSource implements RelationProvider, DataSourceRegister {
    public static final String NAME = "idx";

    @Override
    public String shortName() {
        return NAME;
    }

    @Override
    public BaseRelation createRelation(SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters) {
        Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        options.putAll(scala.jdk.javaapi.CollectionConverters.asJava(parameters));
        String path = options.get("path");
        if (path == null || path.isBlank()) {
            throw new UserError("idx data source: the path option is missing (a folder of IDX files or an images file)");
        }
        IdxRelation.Layout layout = switch (options.getOrDefault("layout", "pixels").toLowerCase(java.util.Locale.ROOT)) {
            case "pixels" -> IdxRelation.Layout.PIXELS;
            case "features" -> IdxRelation.Layout.FEATURES;
            default -> throw new UserError("idx data source: layout must be pixels or features (got " + options.get("layout") + ")");
        };
        String set = options.getOrDefault("set", "train").toLowerCase(java.util.Locale.ROOT);
        if (!set.equals("train") && !set.equals("test")) {
            throw new UserError("idx data source: set must be train or test (got " + options.get("set") + ")");
        }
        int partitions = sqlContext.sparkContext().defaultParallelism();
        if (options.containsKey("partitions")) {
            try {
                partitions = Integer.parseInt(options.get("partitions").trim());
            } catch (NumberFormatException e) {
                partitions = 0;
            }
            if (partitions <= 0) {
                throw new UserError("idx data source: partitions must be a positive integer (got " + options.get("partitions") + ")");
            }
        }
        Configuration conf = sqlContext.sparkContext().hadoopConfiguration();
        IdxImageSet images = open(path, options.get("labels"), set, conf);
        return new IdxRelation(sqlContext, images, (int) Math.max(1, Math.min(partitions, images.count())), layout);
    }

    /** The validated set at {@code path}: a folder's {@code set}, or an images file and its labels file. */
    static IdxImageSet open(String path, String labels, String set, Configuration conf) {
        Path given = new Path(path);
        try {
            FileSystem fs = given.getFileSystem(conf);
            if (!fs.exists(given)) {
                throw new UserError("path " + path + ": not found");
            }
            if (fs.getFileStatus(given).isDirectory()) {
                return MnistFiles.set(path, set, conf, 0, "path");
            }
            Path images = fs.makeQualified(given);
            Path labelsPath = labels != null ? fs.makeQualified(new Path(labels)) : besideImages(images);
            if (!fs.exists(labelsPath)) {
                throw new UserError("path " + path + ": no labels file " + labelsPath
                        + (labels != null ? "" : " beside it (give one with the labels option)"));
            }
            return IdxImageSet.open(images, labelsPath, conf, 0);
        } catch (IOException e) {
            throw new UserError("path " + path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }

    /** {@code X-images-idx3-ubyte[.gz]} → {@code X-labels-idx1-ubyte[.gz]}, the MNIST naming. */
    private static Path besideImages(Path images) {
        String name = images.getName();
        if (!name.contains("images-idx3")) {
            throw new UserError("path " + images + ": not named like an IDX images file (X-images-idx3-ubyte); "
                    + "give its labels file with the labels option");
        }
        return new Path(images.getParent(), name.replace("images-idx3", "labels-idx1"));
    }
}
