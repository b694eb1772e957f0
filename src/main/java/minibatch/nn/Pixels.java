package minibatch.nn;

/** Pixels are stored as unsigned bytes 0..255 and scaled to [0, 1] only where they are used. */
public final class Pixels {
    /** The one pixel scale: raw values 0..255 to [0, 1]. */
    public static final double SCALE = 1.0 / 255.0;

    private Pixels() {
    }

    /** Writes {@code (src[i] & 0xff) / 255} into {@code dst[0..src.length)}. */
    public static void scale(byte[] src, double[] dst) {
        scale(src, dst, 0);
    }

    /** Writes {@code (src[i] & 0xff) / 255} into {@code dst[offset + i]}. */
    public static void scale(byte[] src, double[] dst, int offset) {
        for (int i = 0; i < src.length; i++) {
            dst[offset + i] = (src[i] & 0xff) * SCALE;
        }
    }
}
