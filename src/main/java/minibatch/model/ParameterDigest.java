package minibatch.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Encodes flat parameters as little-endian IEEE-754 doubles and fingerprints them. */
public final class ParameterDigest {
    private ParameterDigest() {
    }

    /** {@code params} as little-endian doubles, 8 bytes each. */
    public static byte[] littleEndianBytes(double[] params) {
        ByteBuffer buf = ByteBuffer.allocate(params.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(params);
        return buf.array();
    }

    /** SHA-256 (lower-case hex) of {@link #littleEndianBytes}: equal only for bit-identical weights. */
    public static String sha256(double[] params) {
        return sha256(littleEndianBytes(params));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
