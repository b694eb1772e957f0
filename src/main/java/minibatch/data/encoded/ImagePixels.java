package minibatch.data.encoded;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
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
     * An encoded image file's pixels, decoded with ImageIO on the executor.
     *
     * @throws RowDecoder.BadRow when ImageIO cannot decode it
     */
    static byte[] decode(byte[] encoded, String what, int channels) throws RowDecoder.BadRow {
        BufferedImage image = null;
        try {
            image = encoded == null ? null : javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        } catch (java.io.IOException | RuntimeException e) {
            // reported below as an unreadable image
        }
        if (image == null) {
            throw new RowDecoder.BadRow(what + " is not a readable image (ImageIO cannot decode it as PNG, JPEG, BMP or GIF)");
        }
        return channels == 3 ? rgb(image) : of(image);
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
