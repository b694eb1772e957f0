package minibatch.nn.f32;

/**
 * The two conversions between the driver's float64 arrays and a float32 pass's: the float32 copy
 * of the weights an executor computes with, and adding a float32 gradient sum into a float64 one
 * (the driver adds partitions and divides by N in float64).
 */
public final class MixedPrecision {
    private MixedPrecision() {
    }

    /** Writes {@code (float) src[i]} (round to nearest) into {@code dst[i]}; both {@code [parameterCount]}. */
    public static void toFloat(double[] src, float[] dst) {
        checkLengths(src.length, dst.length);
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
    }

    /** {@code dst[i] += src[i]}, each float32 sum widened exactly before the float64 addition; both {@code [parameterCount]}. */
    public static void addInto(float[] src, double[] dst) {
        checkLengths(src.length, dst.length);
        for (int i = 0; i < src.length; i++) {
            dst[i] += src[i];
        }
    }

    private static void checkLengths(int src, int dst) {
        if (src != dst) {
            throw new IllegalArgumentException("arrays of different lengths: " + src + " and " + dst);
        }
    }
}
