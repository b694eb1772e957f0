package minibatch.data.encoded;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Image folders, the layout of torchvision's {@code ImageFolder} and Keras'
 * {@code image_dataset_from_directory}: {@code DIR/train/<class>/*.png|jpg} and
 * {@code DIR/test/<class>/...}. The files are read with Spark's built-in {@code binaryFile} data source
 * and decoded on the executors with ImageIO exactly as Spark's {@code image} data source decodes them
 * ({@code ImageFolderDecodingTest} compares the two), then turned to gray. Not through the {@code image}
 * source itself: it builds an encoder for every file it reads, about 4 ms of each file's time here,
 * which made the 70,000 PNG files of MNIST take 5.5 minutes to load. With 3 channels the images
 * give R, G, B per pixel instead of gray ({@link ImagePixels}). The classes are the training set's folder names, sorted (label i is
 * the i-th name), as torchvision numbers them, and a class folder's images at any depth are its own
 * ({@link ClassFolders}); rows are in path order: by class folder, then by the path below it.
 */
public final class ImageFolders {
    /** The files read; others in the folders (notes, thumbnails databases) are ignored. */
    static final String GLOB = "*.{png,PNG,jpg,JPG,jpeg,JPEG}";

    private ImageFolders() {
    }

    /** Whether {@code dir} has a {@code set} folder holding at least one folder (a class). */
    public static boolean holds(Path dir, String set, Configuration conf) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            Path setDir = new Path(dir, set);
            return fs.isDirectory(setDir) && Arrays.stream(fs.listStatus(setDir)).anyMatch(FileStatus::isDirectory);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list: " + UserError.firstLine(e), e);
        }
    }

    /**
     * Set {@code set} of the image folders at {@code dir}, validated row by row on the executors
     * (every file decodes, one image size). The classes are those of {@code dir/train} (so a test
     * set numbers its classes as the training set did), else those of the set's own folder.
     */
    public static ImageSource open(SparkSession spark, Path dir, String set, int channels, Configuration conf) {
        Path setDir = new Path(dir, set);
        Path trainDir = new Path(dir, "train");
        ClassFolders own = ClassFolders.of(setDir, conf);
        // the training set's folders, listed again only when this is another set
        List<String> classes = set.equals("train") || !holds(dir, "train", conf) ? own.classes()
                : ClassFolders.of(trainDir, conf).classes();
        for (String name : own.classes()) {
            if (!classes.contains(name)) {
                throw new UserError(new Path(setDir, name) + ": class '" + name + "' is not one of the training classes "
                        + classes + " in " + trainDir);
            }
        }
        String[] roots = own.roots().stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> images = SparkReader.read(setDir.toString(), "images", () -> spark.read().format("binaryFile")
                .option("recursiveFileLookup", true).option("pathGlobFilter", GLOB).load(roots));
        Dataset<Row> payload = images.select(functions.col("path"), functions.col("content"));
        return TableImageSet.open(spark, setDir.toString(), payload,
                new Decoder(setDir.toUri().getPath(), classes, channels), classes, channels);
    }

    /**
     * A row of Spark's binaryFile source (path, content) as an image labelled by its class folder:
     * the folder of the set folder its path passes through, at any depth below.
     */
    private static final class Decoder implements RowDecoder {
        private static final long serialVersionUID = 1L;
        private final String setPath;
        private final HashMap<String, Integer> labels = new HashMap<>();
        private final int channels;

        Decoder(String setPath, List<String> classes, int channels) {
            this.setPath = setPath.endsWith("/") ? setPath : setPath + "/";
            this.channels = channels;
            for (int i = 0; i < classes.size(); i++) {
                labels.put(classes.get(i), i);
            }
        }

        @Override
        public LabeledImage decode(Row row) throws BadRow {
            return decodeWithHeight(row).image();
        }

        @Override
        public WithHeight decodeWithHeight(Row row) throws BadRow {
            String path = new Path(row.getString(0)).toUri().getPath();
            String below = path.startsWith(setPath) ? path.substring(setPath.length()) : "";
            String folder = below.indexOf('/') > 0 ? below.substring(0, below.indexOf('/')) : "";
            Integer label = labels.get(folder);
            if (label == null) {
                throw new BadRow("is not in a class folder of " + Map.copyOf(labels).keySet());
            }
            ImagePixels.Decoded image = ImagePixels.decode((byte[]) row.get(1), "the file", channels);
            return new WithHeight(new LabeledImage(label, image.values()), image.height());
        }
    }
}
