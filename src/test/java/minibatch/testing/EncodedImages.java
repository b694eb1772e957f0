package minibatch.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Image-set fixtures as encoded image files: torchvision-style image folders and a data hub's Parquet files. */
public final class EncodedImages {
    private EncodedImages() {
    }

    /** Image {@code i} of {@code set} as a gray PNG ({@code format} "png") or a JPEG. */
    public static byte[] encode(IdxFixtures.ImageSet set, int i, String format) {
        BufferedImage image = new BufferedImage(set.cols(), set.rows(), BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, set.cols(), set.rows(), set.image(i));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The colour pixel {@link #colourPng} makes of gray value {@code v}: R = v, G = 255 - v, B = 7v mod 256. */
    public static int colourOf(int v) {
        return v << 16 | (255 - v) << 8 | (7 * v) % 256;
    }

    /** Image {@code i} of {@code set} as an RGB PNG, each gray value {@code v} coloured by {@link #colourOf}. */
    public static byte[] colourPng(IdxFixtures.ImageSet set, int i) {
        BufferedImage image = new BufferedImage(set.cols(), set.rows(), BufferedImage.TYPE_INT_RGB);
        byte[] gray = set.image(i);
        for (int p = 0; p < gray.length; p++) {
            image.setRGB(p % set.cols(), p / set.cols(), colourOf(gray[p] & 0xff));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code dir/<name>/<class name>/<row, 5 digits>.png} for every row; rows must be sorted by label
     * for the folders' path order to be the rows' order.
     */
    public static void writeFolders(Path dir, String name, IdxFixtures.ImageSet set, List<String> classes) throws IOException {
        writeFolders(dir, name, set, classes, false);
    }

    /** As above, in colour ({@link #colourPng}) if {@code colour}. */
    public static void writeFolders(Path dir, String name, IdxFixtures.ImageSet set, List<String> classes, boolean colour)
            throws IOException {
        for (int i = 0; i < set.count(); i++) {
            Path file = dir.resolve(name).resolve(classes.get(set.labels()[i])).resolve(String.format("%05d.png", i));
            Files.createDirectories(file.getParent());
            Files.write(file, colour ? colourPng(set, i) : encode(set, i, "png"));
        }
    }

    /**
     * One Parquet file as Hugging Face publishes image sets: {@code image} a struct of PNG
     * {@code bytes} and {@code path}, an int64 {@code label}, and (unless {@code classes} is null)
     * the {@code huggingface} metadata naming the classes.
     */
    public static void writeHubParquet(Path file, IdxFixtures.ImageSet set, List<String> classes) throws IOException {
        writeHubParquet(file, set, classes, false);
    }

    /** As above, in colour ({@link #colourPng}) if {@code colour}. */
    public static void writeHubParquet(Path file, IdxFixtures.ImageSet set, List<String> classes, boolean colour)
            throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message hub { required group image { optional binary bytes; "
                + "optional binary path (STRING); } optional int64 label; }");
        Files.createDirectories(file.getParent());
        Map<String, String> meta = classes == null ? Map.of() : Map.of("huggingface", "{\"info\": {\"features\": {\"image\": "
                + "{\"_type\": \"Image\"}, \"label\": {\"names\": [" + String.join(", ", classes.stream().map(c -> "\"" + c + "\"")
                .toList()) + "], \"_type\": \"ClassLabel\"}}}}");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (var writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri())).withType(schema)
                .withExtraMetaData(meta).build()) {
            for (int i = 0; i < set.count(); i++) {
                Group row = groups.newGroup();
                Group image = row.addGroup("image");
                image.add("bytes", org.apache.parquet.io.api.Binary.fromConstantByteArray(colour ? colourPng(set, i)
                        : encode(set, i, "png")));
                image.add("path", i + ".png");
                row.add("label", (long) set.labels()[i]);
                writer.write(row);
            }
        }
    }

    /** {@code set} with its rows sorted by label (stable), so that class folders list them in this order. */
    public static IdxFixtures.ImageSet sortedByLabel(IdxFixtures.ImageSet set) {
        Integer[] order = new Integer[set.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> set.labels()[i]));
        int w = set.rows() * set.cols();
        byte[] pixels = new byte[set.pixels().length];
        byte[] labels = new byte[set.count()];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(set.pixels(), order[i] * w, pixels, i * w, w);
            labels[i] = set.labels()[order[i]];
        }
        return new IdxFixtures.ImageSet(set.rows(), set.cols(), pixels, labels);
    }
}
