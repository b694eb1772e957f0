package minibatch.data.encoded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import minibatch.UserError;
import minibatch.data.ImageSource;
import minibatch.data.LabeledImage;
import minibatch.data.SparkReader;
import minibatch.data.table.RowDecoder;
import minibatch.data.table.TableImageSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet layout data hubs publish image sets in (Hugging Face's MNIST and Fashion-MNIST):
 * {@code train-*.parquet} and {@code test-*.parquet} in the data folder or in its {@code data/} or
 * {@code mnist/} subfolder, with {@code image} a struct of the encoded file's {@code bytes} (PNG or
 * JPEG) and {@code path}, and an integer {@code label}. Images are decoded on the executors. Class
 * names come from the files' {@code huggingface} metadata ({@code info.features.label.names}) when
 * present. Rows are in file-name order, then in order within each file.
 */
public final class HubParquet {
    private static final List<String> SUBFOLDERS = List.of("", "data", "mnist");

    private HubParquet() {
    }

    /** The set's files ({@code SET-*.parquet}) at {@code dir} or in a subfolder, sorted by name; empty if none. */
    public static List<Path> files(Path dir, String set, Configuration conf) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            for (String sub : SUBFOLDERS) {
                Path folder = sub.isEmpty() ? dir : new Path(dir, sub);
                FileStatus[] found = fs.globStatus(new Path(folder, set + "-*.parquet"));
                if (found != null && found.length > 0) {
                    List<Path> files = new ArrayList<>();
                    Arrays.stream(found).filter(FileStatus::isFile).forEach(s -> files.add(s.getPath()));
                    files.sort(null);
                    return files;
                }
            }
            return List.of();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list: " + UserError.firstLine(e), e);
        }
    }

    public static ImageSource open(SparkSession spark, Path dir, String set, int channels, Configuration conf) {
        List<Path> files = files(dir, set, conf);
        String location = files.size() == 1 ? files.get(0).toString() : new Path(files.get(0).getParent(), set + "-*.parquet").toString();
        String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> data = SparkReader.read(location, "Parquet", () -> spark.read().parquet(paths));
        StructType schema = data.schema();
        if (!Arrays.asList(schema.fieldNames()).contains("image") || !(schema.apply("image").dataType() instanceof StructType image)
                || !Arrays.asList(image.fieldNames()).contains("bytes") || !(image.apply("bytes").dataType() instanceof BinaryType)) {
            throw new UserError(location + ": no 'image' column of encoded images (a struct with binary 'bytes'); found "
                    + schema.simpleString());
        }
        boolean labelled = Arrays.asList(schema.fieldNames()).contains("label");
        if (labelled) {
            DataType t = schema.apply("label").dataType();
            if (!(t instanceof IntegralType)) {
                throw new UserError(location + ": the 'label' column holds " + t.simpleString()
                        + " values; integer class labels are needed (class names go in the metadata)");
            }
        }
        Dataset<Row> payload = labelled
                ? data.select(functions.col("image.bytes"), functions.col("label").cast("long"))
                : data.select(functions.col("image.bytes"));
        return TableImageSet.open(spark, location, payload, new Decoder(labelled, channels), classNames(files.get(0), conf),
                channels);
    }

    /** {@code info.features.label.names} of the file's {@code huggingface} key-value metadata, or empty. */
    static List<String> classNames(Path file, Configuration conf) {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(file, conf))) {
            String json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get("huggingface");
            if (json == null) {
                return List.of();
            }
            JsonNode names = new ObjectMapper().readTree(json).at("/info/features/label/names");
            List<String> out = new ArrayList<>();
            names.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new UserError(file + ": cannot read its Parquet footer: " + UserError.firstLine(e), e);
        }
    }

    /** (bytes[, label]) as an image; the encoded bytes are decoded with ImageIO ({@link ImagePixels}). */
    private static final class Decoder implements RowDecoder {
        private static final long serialVersionUID = 1L;
        private final boolean labelled;
        private final int channels;

        Decoder(boolean labelled, int channels) {
            this.labelled = labelled;
            this.channels = channels;
        }

        @Override
        public LabeledImage decode(Row row) throws BadRow {
            return decodeWithHeight(row).image();
        }

        @Override
        public WithHeight decodeWithHeight(Row row) throws BadRow {
            ImagePixels.Decoded image = ImagePixels.decode(row.isNullAt(0) ? null : (byte[]) row.get(0), "image.bytes",
                    channels);
            int label = -1;
            if (labelled) {
                if (row.isNullAt(1)) {
                    throw new BadRow("label is empty");
                }
                label = RowDecoder.label(row.getLong(1), "label");
            }
            return new WithHeight(new LabeledImage(label, image.values()), image.height());
        }
    }
}
