package minibatch.data.encoded;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Image folders are decoded as Spark's {@code image} data source decodes them: for gray and colour
 * PNG (with and without alpha) and JPEG files, the pixels {@link ImagePixels#decode} gives equal the
 * gray values of the {@code image} source's rows (its OpenCV B, G, R[, A] bytes, turned to luma), and
 * with three channels its B, G, R bytes as R, G, B.
 */
@ExtendWith(LocalSpark.class)
class ImageFolderDecodingTest {
    @TempDir
    Path dir;

    @Test
    void decodingMatchesSparksImageSource(SparkSession spark) throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_3BYTE_BGR};
        int files = 0;
        for (int t = 0; t < types.length; t++) {
            BufferedImage image = new BufferedImage(7, 5, types[t]);
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 7; x++) {
                    image.setRGB(x, y, rng.nextInt() | 0xff000000);
                }
            }
            ImageIO.write(image, "png", dir.resolve("image" + t + ".png").toFile());
            files++;
            if (types[t] != BufferedImage.TYPE_INT_ARGB) { // JPEG has no alpha
                ImageIO.write(image, "jpg", dir.resolve("image" + t + ".jpg").toFile());
                files++;
            }
        }
        List<Row> rows = spark.read().format("image").load(dir.toString()).select("image.*").collectAsList();
        assertEquals(files, rows.size());
        for (Row row : rows) {
            String origin = row.getString(0);
            int height = row.getInt(1);
            int width = row.getInt(2);
            int channels = row.getInt(3);
            byte[] data = (byte[]) row.get(5);
            byte[] expected = new byte[height * width];
            for (int i = 0; i < expected.length; i++) {
                int o = i * channels;
                expected[i] = channels == 1 ? data[i]
                        : (byte) ImagePixels.luma(data[o + 2] & 0xff, data[o + 1] & 0xff, data[o] & 0xff);
            }
            byte[] file = Files.readAllBytes(Path.of(new java.net.URI(origin)));
            assertArrayEquals(expected, ImagePixels.decode(file, origin, 1).values(), origin + " (" + channels + " channels)");
            assertEquals(height, ImagePixels.decode(file, origin, 1).height(), origin);
            // three channels: R, G, B per pixel, the image source's B, G, R reversed (gray repeated)
            byte[] rgb = new byte[height * width * 3];
            for (int i = 0; i < height * width; i++) {
                for (int c = 0; c < 3; c++) {
                    rgb[3 * i + c] = channels == 1 ? data[i] : data[i * channels + 2 - c];
                }
            }
            assertArrayEquals(rgb, ImagePixels.decode(file, origin, 3).values(), origin + " as R, G, B");
        }
    }
}
