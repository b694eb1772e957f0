package minibatch.data.encoded;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import minibatch.data.table.RowDecoder;

/**
 * Encoded images as the network's input bytes, row-major: with one channel {@code [height × width]}
 * gray values, with three {@code [height × width × 3]} R, G, B values per pixel (as torchvision's
 * and Keras' RGB mode, channels last). Gray images keep their values (repeated in R, G and B with
 * three channels); colour images become gray with the ITU-R 601-2 weights in the fixed-point form
 * Pillow's {@code convert("L")} uses, which torchvision's {@code Grayscale} and Keras'
 * {@code color_mode="grayscale"} apply too.
 */
final class ImagePixels {
    private ImagePixels() {
    }

    /** Luma of one colour pixel (each channel 0..255). */
    static int luma(int red, int green, int blue) {
        return (red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16;
    }

    /**
     * The most pixels a decoded image may have (the same limit as an IDX header's, 4096×4096):
     * checked from the file's header before ImageIO allocates the image.
     */
    static final long MAX_PIXELS = 1L << 24;

    /** An image's values ({@code [height × width × channels]}, row-major) and its height in pixels. */
    record Decoded(byte[] values, int height) {
    }

    /**
     * An encoded image file's pixels, decoded with ImageIO on the executor as {@code ImageIO.read}
     * decodes it (the first reader that takes the file), its size checked from the header first.
     *
     * @param what names the file in messages ("the file", "image.bytes")
     * @throws RowDecoder.BadRow when ImageIO cannot decode it, or its header gives more than {@link #MAX_PIXELS}
     */
    static Decoded decode(byte[] encoded, String what, int channels) throws RowDecoder.BadRow {
        BufferedImage image = encoded == null ? null : read(encoded, what);
        if (image == null) {
            throw new RowDecoder.BadRow(what + " is not a readable image (ImageIO cannot decode it as PNG, JPEG, BMP or GIF)");
        }
        return new Decoded(channels == 3 ? rgb(image) : of(image), image.getHeight());
    }

    /** The image, or null when no ImageIO reader takes it or it does not decode. */
    private static BufferedImage read(byte[] encoded, String what) throws RowDecoder.BadRow {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new RowDecoder.BadRow(String.format("%s is %d pixels wide and %d high, "
                            + "%d pixels, more than the %d an image may have", what, width, height, width * height, MAX_PIXELS));
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // reported by the caller as an unreadable image
        }
    }

    /**
     * An image decoded with ImageIO, read as Spark's {@code image} data source ({@code ImageSchema.decode})
     * reads it: gray images give their raster's samples, others the luma of {@code getRGB}'s colours.
     */
    static byte[] of(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        byte[] gray = new byte[height * width];
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    gray[y * width + x] = (byte) raster.getSample(x, y, 0);
                }
            }
            return gray;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                gray[y * width + x] = (byte) luma((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
            }
        }
        return gray;
    }

    /**
     * R, G, B of every pixel ({@code [height × width × 3]}), as Spark's {@code image} source gives them
     * (in B, G, R order there): a gray image's raster sample in all three, else {@code getRGB}'s colour.
     */
    static byte[] rgb(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        byte[] rgb = new byte[height * width * 3];
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        Raster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                if (gray) {
                    byte v = (byte) raster.getSample(x, y, 0);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    int c = image.getRGB(x, y);
                    rgb[o] = (byte) (c >> 16);
                    rgb[o + 1] = (byte) (c >> 8);
                    rgb[o + 2] = (byte) c;
                }
            }
        }
        return rgb;
    }
}
