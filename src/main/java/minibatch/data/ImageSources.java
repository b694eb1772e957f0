package minibatch.data;

import minibatch.UserError;
import minibatch.data.encoded.HubParquet;
import minibatch.data.encoded.ImageFolders;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.MnistFiles;
import minibatch.data.table.TableFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Opens an image set in any supported format on any Hadoop file system: {@link SetDiscovery} finds
 * where the set is and in which format, then the format's reader opens it (IDX files, a table in
 * {@code data/table}, encoded images in {@code data/encoded}). A data folder holds a training and a
 * test set; where a single set is wanted (evaluate, predict) the location may also be that set itself.
 */
public final class ImageSources {
    private ImageSources() {
    }

    /** What the caller needs of the set. */
    public enum Use {
        /** train: a folder holding both sets; labels required. */
        TRAINING,
        /** evaluate: a folder or the set itself; labels required. */
        LABELLED,
        /** predict: a folder or the set itself; labels optional. */
        ANY
    }

    /**
     * Opens set {@code set} ("train" or "test") at {@code location}.
     *
     * @param option  the option that gave {@code location}, for messages
     * @param classes every label must be below it (0 = any)
     * @param pixels  pixels per image when the format cannot tell (LibSVM), 0 = infer
     * @throws UserError naming the location and what is wrong
     */
    public static ImageSource open(SparkSession spark, String location, String option, DataFormat format, String set,
                                   int classes, int pixels, Use use) {
        return open(spark, location, option, format, set, classes, pixels, use, 1);
    }

    /**
     * As above, with {@code channels} values per pixel: 1 (gray) or 3 (R, G, B; image folders and
     * hub Parquet only, whose files are encoded images).
     */
    public static ImageSource open(SparkSession spark, String location, String option, DataFormat format, String set,
                                   int classes, int pixels, Use use, int channels) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path path = SetDiscovery.qualified(new Path(location), conf);
        FileStatus status = SetDiscovery.status(path, conf, option + " " + location);
        SetDiscovery.Found found = SetDiscovery.find(path, status, option, format, set, use, conf);
        ImageSource source = opened(spark, found, path, option, set, pixels, channels, conf);
        if (use != Use.ANY && source.maxLabel() < 0) {
            throw new UserError(source.location() + ": has no label column (a 'label' column is needed to "
                    + (use == Use.TRAINING ? "train" : "evaluate") + ")");
        }
        source.requireLabelsBelow(classes, "--classes");
        return source;
    }

    /** The set {@code found} at {@code path}, opened by its format's reader. */
    private static ImageSource opened(SparkSession spark, SetDiscovery.Found found, Path path, String option, String set,
                                      int pixels, int channels, Configuration conf) {
        if (channels != 1 && found.format() != DataFormat.FOLDERS && found.format() != DataFormat.HUB) {
            throw new UserError("--channels " + channels + ": " + option + " " + path + " holds " + found.format().id()
                    + " data, one gray value per pixel; colour channels come from image folders or hub Parquet files");
        }
        return switch (found.format()) {
            case IDX -> set.equals("test") ? MnistFiles.test(path.toString(), conf, 0) : MnistFiles.train(path.toString(), conf, 0);
            case FOLDERS -> ImageFolders.open(spark, path, set, channels, conf);
            case HUB -> HubParquet.open(spark, path, set, channels, conf);
            default -> TableFiles.open(spark, found.path(), found.format(), pixels, conf);
        };
    }

    /**
     * Checks, before Spark starts, that {@code location} holds the sets {@code use} needs, when it
     * is on the local file system (elsewhere the file system may need Spark's settings): the
     * same errors as {@link #open} for a missing path or set, and for IDX sets every check (they
     * are validated on the driver anyway); table rows are validated later, by Spark.
     *
     * @param sets the sets needed ("train", "test")
     * @return the first set's height and width ({@code [rows, cols]}) when it is a local IDX set
     *         (its header says them), else null
     */
    public static int[] precheck(String location, String option, DataFormat format, Use use, String... sets) {
        Configuration conf = new Configuration();
        Path path = SetDiscovery.qualified(new Path(location), conf);
        if (!"file".equals(path.toUri().getScheme())) {
            return null;
        }
        int[] size = null;
        FileStatus status = SetDiscovery.status(path, conf, option + " " + location);
        for (String set : sets) {
            SetDiscovery.Found found = SetDiscovery.find(path, status, option, format, set, use, conf);
            if (found.format() == DataFormat.IDX) {
                // IDX sets are validated whole on the driver anyway (headers, lengths, labels): do it now
                IdxImageSet idx = set.equals("test") ? MnistFiles.test(path.toString(), conf, 0)
                        : MnistFiles.train(path.toString(), conf, 0);
                if (size == null && set.equals(sets[0])) {
                    size = new int[] {idx.rows(), idx.cols()};
                }
            }
        }
        return size;
    }
}
