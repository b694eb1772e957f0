package minibatch.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import minibatch.UserError;
import minibatch.data.encoded.HubParquet;
import minibatch.data.encoded.ImageFolders;
import minibatch.data.idx.MnistFiles;
import minibatch.data.table.BlockStats;
import minibatch.data.table.ColumnDecoder;
import minibatch.data.table.CsvLineDecoder;
import minibatch.data.table.LibsvmWidth;
import minibatch.data.table.RowDecoder;
import minibatch.data.table.TableImageSet;
import minibatch.nn.Pixels;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Finds and opens an image set in any supported format on any Hadoop file system. A data folder
 * holds a training and a test set: the four MNIST IDX files, or {@code train.csv}/{@code test.csv},
 * {@code train.parquet}/{@code test.parquet}, {@code train.libsvm}/{@code test.libsvm}. Where a
 * single set is wanted (evaluate, predict) the location may also be that set itself.
 */
public final class ImageSources {
    /**
     * This package's classes that go through {@code spark.serializer} (cached rows when they spill,
     * the validation passes' task results, the broadcast map of each table block's first row, and
     * the vector type in the schemas Spark's Parquet reader returns from its tasks), for Kryo
     * registration.
     */
    public static final List<Class<?>> SERIALIZED_CLASSES = List.of(
            LabeledImage.class, BlockStats.class, LibsvmWidth.Scan.class, java.util.HashMap.class, VectorUDT.class);

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
        Path path = qualified(new Path(location), conf);
        FileStatus status = status(path, conf, option + " " + location);
        ImageSource source = locate(spark, path, status, option, format, set, pixels, use, channels, conf);
        if (use != Use.ANY && source.maxLabel() < 0) {
            throw new UserError(source.location() + ": has no label column (a 'label' column is needed to "
                    + (use == Use.TRAINING ? "train" : "evaluate") + ")");
        }
        source.requireLabelsBelow(classes, "--classes");
        return source;
    }

    private static ImageSource locate(SparkSession spark, Path path, FileStatus status, String option, DataFormat format,
                                      String set, int pixels, Use use, int channels, Configuration conf) {
        Found found = discover(path, status, option, format, set, use, conf);
        if (channels != 1 && found.format() != DataFormat.FOLDERS && found.format() != DataFormat.HUB) {
            throw new UserError("--channels " + channels + ": " + option + " " + path + " holds " + found.format().id()
                    + " data, one gray value per pixel; colour channels come from image folders or hub Parquet files");
        }
        return switch (found.format()) {
            case IDX -> set.equals("test") ? MnistFiles.test(path.toString(), conf, 0) : MnistFiles.train(path.toString(), conf, 0);
            case FOLDERS -> ImageFolders.open(spark, path, set, channels, conf);
            case HUB -> HubParquet.open(spark, path, set, channels, conf);
            default -> table(spark, found.path(), found.format(), pixels, conf);
        };
    }

    /** Where a set is: an IDX folder ({@code format} IDX, {@code path} the folder) or a table file or folder. */
    private record Found(Path path, DataFormat format) {
    }

    /** Finds set {@code set} at {@code path} by its files' names, reading no contents. */
    private static Found discover(Path path, FileStatus status, String option, DataFormat format, String set, Use use,
                                  Configuration conf) {
        String where = option + " " + path;
        DataFormat named = DataFormat.ofName(path.getName());
        if (status.isDirectory() && named == null) {
            if ((format == DataFormat.AUTO || format == DataFormat.IDX) && MnistFiles.holds(path, set, conf)) {
                return new Found(path, DataFormat.IDX);
            }
            if (format == DataFormat.IDX) {
                MnistFiles.locate(path.toString(), set.equals("test") ? MnistFiles.TEST_IMAGES : MnistFiles.TRAIN_IMAGES, conf, option);
            }
            List<DataFormat> candidates = format == DataFormat.AUTO
                    ? List.of(DataFormat.CSV, DataFormat.PARQUET, DataFormat.LIBSVM) : List.of(format);
            for (DataFormat f : candidates) {
                for (String name : f.setNames(set)) {
                    Path p = new Path(path, name);
                    if (exists(p, conf)) {
                        return new Found(p, f);
                    }
                }
            }
            if ((format == DataFormat.AUTO || format == DataFormat.FOLDERS) && ImageFolders.holds(path, set, conf)) {
                return new Found(path, DataFormat.FOLDERS);
            }
            if ((format == DataFormat.AUTO || format == DataFormat.HUB) && !HubParquet.files(path, set, conf).isEmpty()) {
                return new Found(path, DataFormat.HUB);
            }
            if (use == Use.TRAINING || format == DataFormat.AUTO) {
                throw new UserError(where + ": holds no " + set + " set (expected the MNIST IDX files, "
                        + String.join(", ", names(set)) + ", " + set + "/<class>/ image folders or " + set + "-*.parquet)");
            }
        } else if (use == Use.TRAINING) {
            throw new UserError(where + ": must be a folder holding a train and a test set");
        }
        DataFormat f = format != DataFormat.AUTO ? format : named;
        if (f == null) {
            throw new UserError(where + ": cannot tell its format from the name; use --format csv, parquet or libsvm");
        }
        if (f == DataFormat.IDX) {
            throw new UserError(where + ": IDX sets are two files (images and labels); give the folder holding them");
        }
        if (f == DataFormat.FOLDERS || f == DataFormat.HUB) {
            throw new UserError(where + ": give the data folder that holds the " + set + " set");
        }
        return new Found(path, f);
    }

    /**
     * Checks, before Spark starts, that {@code location} holds the sets {@code use} needs, when it
     * is on the local file system (elsewhere the file system may need Spark's settings): the
     * same errors as {@link #open} for a missing path or set, and for IDX sets every check (they
     * are validated on the driver anyway); table rows are validated later, by Spark.
     *
     * @param sets the sets needed ("train", "test")
     */
    public static void precheck(String location, String option, DataFormat format, Use use, String... sets) {
        Configuration conf = new Configuration();
        Path path = qualified(new Path(location), conf);
        if (!"file".equals(path.toUri().getScheme())) {
            return;
        }
        FileStatus status = status(path, conf, option + " " + location);
        for (String set : sets) {
            Found found = discover(path, status, option, format, set, use, conf);
            if (found.format() == DataFormat.IDX) {
                // IDX sets are validated whole on the driver anyway (headers, lengths, labels): do it now
                if (set.equals("test")) {
                    MnistFiles.test(path.toString(), conf, 0);
                } else {
                    MnistFiles.train(path.toString(), conf, 0);
                }
            }
        }
    }

    private static List<String> names(String set) {
        List<String> all = new ArrayList<>();
        for (DataFormat f : List.of(DataFormat.CSV, DataFormat.PARQUET, DataFormat.LIBSVM)) {
            all.add(f.setNames(set)[0]);
        }
        return all;
    }

    private static ImageSource table(SparkSession spark, Path path, DataFormat format, int pixels, Configuration conf) {
        String location = path.toString();
        return switch (format) {
            case CSV -> csv(spark, path, conf);
            case PARQUET -> {
                checkParquetFiles(path, conf);
                yield typed(spark, location, read(location, "Parquet", () -> spark.read().parquet(location)));
            }
            case LIBSVM -> {
                int width = pixels > 0 ? pixels : LibsvmWidth.of(spark, location);
                yield typed(spark, location, read(location, "LibSVM",
                        () -> spark.read().format("libsvm").option("numFeatures", width).load(location)));
            }
            default -> throw new IllegalStateException(format.toString());
        };
    }

    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

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

    /** A Spark reader's failure to even open the data (wrong format, no schema) as one message. */
    public static Dataset<Row> read(String location, String kind, java.util.function.Supplier<Dataset<Row>> reader) {
        try {
            return reader.get();
        } catch (Exception e) { // Spark's exceptions are checked ones that Scala throws undeclared
            throw new UserError(location + ": cannot read as " + kind + ": " + UserError.firstLine(e), e);
        }
    }

    /** CSV lines: header (if any) and column count from the first line of the first file. */
    private static ImageSource csv(SparkSession spark, Path path, Configuration conf) {
        String location = path.toString();
        String first = firstLine(path, conf);
        if (first == null) {
            throw new UserError(location + ": holds no rows");
        }
        first = CsvLineDecoder.withoutBom(first);
        String[] fields = first.split(",", -1);
        boolean header = !isNumber(fields[0]);
        int label = 0;
        if (header) {
            label = -1;
            for (int i = 0; i < fields.length; i++) {
                if (unquote(fields[i]).equalsIgnoreCase("label")) {
                    label = i;
                }
            }
        }
        RowDecoder decoder = new CsvLineDecoder(header ? first : null, label, fields.length);
        Dataset<Row> lines = read(location, "text", () -> spark.read().text(location));
        return TableImageSet.open(spark, location, lines, decoder);
    }

    /** A typed table: a label column (if any) and pixels as a vector, binary, array or columns. */
    private static ImageSource typed(SparkSession spark, String location, Dataset<Row> data) {
        StructField label = null;
        StructField vector = null;
        List<StructField> numeric = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            DataType t = f.dataType();
            if (name.equals("label") && t instanceof NumericType) {
                label = f;
            } else if ((name.equals("features") || name.equals("pixels")) && vector == null
                    && (t.equals(SQLDataTypes.VectorType()) || t instanceof org.apache.spark.mllib.linalg.VectorUDT
                    || t instanceof BinaryType
                    || t instanceof ArrayType a && a.elementType() instanceof NumericType)) {
                vector = f;
            } else if (t instanceof NumericType) {
                numeric.add(f);
            }
        }
        List<Column> columns = new ArrayList<>();
        if (label != null) {
            columns.add(functions.col(quoted(label.name())));
        }
        ColumnDecoder decoder;
        if (vector != null) {
            DataType t = vector.dataType();
            ColumnDecoder.Pixels kind = t instanceof BinaryType ? ColumnDecoder.Pixels.BINARY
                    : t instanceof ArrayType ? ColumnDecoder.Pixels.ARRAY : ColumnDecoder.Pixels.VECTOR;
            columns.add(functions.col(quoted(vector.name())));
            decoder = new ColumnDecoder(label != null, kind, List.of(vector.name()));
        } else if (!numeric.isEmpty()) {
            numeric.forEach(f -> columns.add(functions.col(quoted(f.name()))));
            decoder = new ColumnDecoder(label != null, ColumnDecoder.Pixels.COLUMNS,
                    numeric.stream().map(StructField::name).toList());
        } else {
            throw new UserError(location + ": no pixel columns: expected a 'features' vector, a 'pixels' binary or "
                    + "numeric array, or numeric pixel columns (found " + describe(data) + ")");
        }
        return TableImageSet.open(spark, location, data.select(columns.toArray(new Column[0])), decoder);
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String describe(Dataset<Row> data) {
        List<String> parts = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            parts.add(f.name() + " " + f.dataType().simpleString());
        }
        return parts.isEmpty() ? "no columns" : String.join(", ", parts);
    }

    private static boolean isNumber(String field) {
        try {
            Double.parseDouble(unquote(field));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String unquote(String field) {
        String f = field.strip();
        return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1).strip() : f;
    }

    /** Spark's readers skip files named {@code _...} (markers such as _SUCCESS) and {@code .…} (checksums). */
    private static boolean isDataFile(Path file) {
        String name = file.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    /** The first non-blank line of the first data file (by name) at {@code path}, or null. */
    private static String firstLine(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            List<FileStatus> files = new ArrayList<>();
            if (fs.getFileStatus(path).isDirectory()) {
                Arrays.stream(fs.listStatus(path)).filter(s -> s.isFile() && isDataFile(s.getPath())).forEach(files::add);
                files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            } else {
                files.add(fs.getFileStatus(path));
            }
            CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
            for (FileStatus file : files) {
                CompressionCodec codec = codecs.getCodec(file.getPath());
                InputStream raw = fs.open(file.getPath());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (!line.isBlank()) {
                            return line;
                        }
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }

    private static FileStatus status(Path path, Configuration conf, String what) {
        try {
            return path.getFileSystem(conf).getFileStatus(path);
        } catch (java.io.FileNotFoundException e) {
            throw new UserError(what + ": not found");
        } catch (IOException e) {
            throw new UserError(what + ": cannot read: " + UserError.firstLine(e), e);
        }
    }

    /** Absolute, with scheme: on a cluster, executors do not share the driver's working directory. */
    private static Path qualified(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).makeQualified(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot resolve: " + UserError.firstLine(e), e);
        }
    }

    private static boolean exists(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }
}
