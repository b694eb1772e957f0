package minibatch.data.table;

import java.io.IOException;
import java.util.Arrays;
import minibatch.UserError;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.SparkReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Opens a set stored as a table, a file or a folder of files: CSV lines (header sniffed from the
 * first line, {@link CsvHeader}), Parquet (magic bytes checked on the driver) or LibSVM; typed
 * tables go through {@link TypedColumns}. Every one becomes a {@link TableImageSet}.
 */
public final class TableFiles {
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    private TableFiles() {
    }

    /**
     * Opens the table at {@code path} in {@code format} (CSV, PARQUET or LIBSVM).
     *
     * @param pixels pixels per image for LibSVM, whose rows do not tell; 0 = the widest row's
     * @throws UserError naming the location and what is wrong
     */
    public static ImageSource open(SparkSession spark, Path path, DataFormat format, int pixels, Configuration conf) {
        String location = path.toString();
        return switch (format) {
            case CSV -> csv(spark, path, conf);
            case PARQUET -> {
                checkParquetFiles(path, conf);
                yield TypedColumns.open(spark, location,
                        SparkReader.read(location, "Parquet", () -> spark.read().parquet(location)));
            }
            case LIBSVM -> {
                int width = pixels > 0 ? pixels : LibsvmWidth.of(spark, location);
                yield TypedColumns.open(spark, location, SparkReader.read(location, "LibSVM",
                        () -> spark.read().format("libsvm").option("numFeatures", width).load(location)));
            }
            default -> throw new IllegalStateException(format.toString());
        };
    }

    /** CSV lines: header (if any) and column count from the first line of the first file. */
    private static ImageSource csv(SparkSession spark, Path path, Configuration conf) {
        String location = path.toString();
        CsvHeader first = CsvHeader.sniff(path, conf);
        RowDecoder decoder = new CsvLineDecoder(first.header() ? first.line() : null, first.labelColumn(), first.columns());
        Dataset<Row> lines = SparkReader.read(location, "text", () -> spark.read().text(location));
        return TableImageSet.open(spark, location, lines, decoder);
    }

    /**
     * Every data file must start and end with Parquet's magic bytes. Checked on the driver (two
     * 4-byte reads a file) because Spark would otherwise fail a task on a broken file and print
     * its stack trace before our one-line error.
     */
    private static void checkParquetFiles(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            var files = fs.listFiles(path, true);
            int count = 0;
            while (files.hasNext()) {
                var file = files.next();
                if (!isDataFile(file.getPath())) {
                    continue;
                }
                count++;
                byte[] head = new byte[4];
                byte[] tail = new byte[4];
                if (file.getLen() >= 12) {
                    try (var in = fs.open(file.getPath())) {
                        in.readFully(0, head);
                        in.readFully(file.getLen() - 4, tail);
                    }
                }
                if (!Arrays.equals(head, PARQUET_MAGIC) || !Arrays.equals(tail, PARQUET_MAGIC)) {
                    throw new UserError(file.getPath() + ": not a Parquet file (it does not start and end with PAR1)");
                }
            }
            if (count == 0) {
                throw new UserError(path + ": holds no Parquet files");
            }
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }

    /** Spark's readers skip files named {@code _...} (markers such as _SUCCESS) and {@code .…} (checksums). */
    static boolean isDataFile(Path file) {
        String name = file.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }
}
