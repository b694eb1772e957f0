package minibatch.data.idx;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import minibatch.UserError;

/**
 * The header of an IDX file: 2 zero bytes, the element type (0x08 = unsigned byte), the number
 * of dimensions, then each dimension as a big-endian int32. Images are {@code 0x00000803}
 * ({@code [count, rows, cols]}), labels {@code 0x00000801} ({@code [count]}).
 */
public record IdxHeader(int[] dims) implements java.io.Serializable {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int UNSIGNED_BYTE = 0x08;
    /** No real image set has images larger than this (4096 × 4096 pixels): refuse before allocating. */
    static final long MAX_PIXELS_PER_IMAGE = 1L << 24;

    /**
     * Reads and checks a header. {@code expectedMagic} is {@link #IMAGES_MAGIC} or
     * {@link #LABELS_MAGIC}; {@code name} names the file in error messages.
     */
    public static IdxHeader read(DataInputStream in, int expectedMagic, String name) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new UserError(name + ": empty or truncated IDX header (fewer than 4 bytes)");
        }
        String kind = expectedMagic == IMAGES_MAGIC ? "image" : "label";
        if ((magic >>> 16) != 0) {
            throw new UserError(String.format("%s: bad magic number 0x%08x (an IDX %s file starts with 0x%08x)",
                    name, magic, kind, expectedMagic));
        }
        int type = (magic >>> 8) & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new UserError(String.format(
                    "%s: unsupported IDX element type 0x%02x (only unsigned byte, 0x08, is supported)", name, type));
        }
        int ndims = magic & 0xff;
        int expectedDims = expectedMagic & 0xff;
        if (ndims != expectedDims) {
            throw new UserError(String.format("%s: an IDX %s file has %d dimension(s), this one declares %d (magic 0x%08x)",
                    name, kind, expectedDims, ndims, magic));
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new UserError(name + ": truncated IDX header (dimension " + (i + 1) + " of " + ndims + " missing)");
            }
            if (dims[i] < 0) {
                throw new UserError(name + ": negative dimension " + Integer.toUnsignedString(dims[i])
                        + " (as unsigned) in the IDX header");
            }
        }
        if (dims[0] == 0) {
            throw new UserError(name + ": holds no " + kind + "s (count 0 in the IDX header)");
        }
        if (ndims == 3) {
            if (dims[1] == 0 || dims[2] == 0) {
                throw new UserError(name + ": image size " + dims[1] + "x" + dims[2] + " in the IDX header is empty");
            }
            if ((long) dims[1] * dims[2] > MAX_PIXELS_PER_IMAGE) {
                throw new UserError(name + ": image size " + dims[1] + "x" + dims[2]
                        + " in the IDX header exceeds the limit of " + MAX_PIXELS_PER_IMAGE + " pixels");
            }
        }
        return new IdxHeader(dims);
    }

    /** Bytes taken by the header itself. */
    public long headerBytes() {
        return 4L + 4L * dims.length;
    }

    /** Number of records (images or labels). */
    public int count() {
        return dims[0];
    }

    /** Bytes per record: rows × cols for images, 1 for labels. */
    public int recordBytes() {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return (int) n;
    }

    /** Bytes of data the header promises after itself. */
    public long bodyBytes() {
        return (long) count() * recordBytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxHeader h && Arrays.equals(dims, h.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "IdxHeader" + Arrays.toString(dims);
    }
}
