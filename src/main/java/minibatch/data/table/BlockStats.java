package minibatch.data.table;

import java.io.Serializable;

/**
 * What one file block (a Spark input split) of a table-format image set holds, found by the
 * validation pass on the executors: its row count, largest label, each label's first row in the
 * block, smallest and largest pixel count and height (0: not known) per row, and the first bad row's description (or null).
 *
 * <p>A plain class, not a record: it is a task result, so it goes through {@code spark.serializer},
 * and the Kryo that Spark 4 ships cannot serialize a record's fields.
 */
public final class BlockStats implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long start;
    private final long rows;
    private final int maxLabel;
    private final int minWidth;
    private final int maxWidth;
    private final int minHeight;
    private final int maxHeight;
    private final String firstError;
    private final java.util.HashMap<Integer, Long> firstAt;

    BlockStats(String file, long start, long rows, int maxLabel, int minWidth, int maxWidth, int minHeight, int maxHeight,
               String firstError, java.util.HashMap<Integer, Long> firstAt) {
        this.minHeight = minHeight;
        this.maxHeight = maxHeight;
        this.firstAt = firstAt;
        this.file = file;
        this.start = start;
        this.rows = rows;
        this.maxLabel = maxLabel;
        this.minWidth = minWidth;
        this.maxWidth = maxWidth;
        this.firstError = firstError;
    }

    String file() {
        return file;
    }

    long start() {
        return start;
    }

    long rows() {
        return rows;
    }

    int maxLabel() {
        return maxLabel;
    }

    int minWidth() {
        return minWidth;
    }

    int maxWidth() {
        return maxWidth;
    }

    /** The smallest image height in rows (0: the format does not give it). */
    int minHeight() {
        return minHeight;
    }

    int maxHeight() {
        return maxHeight;
    }

    /** Label → the block's first row (counted from the block's start) that has it. */
    java.util.Map<Integer, Long> firstAt() {
        return firstAt;
    }

    String firstError() {
        return firstError;
    }

    /** The key that orders blocks canonically: file, then byte offset. */
    String key() {
        return key(file, start);
    }

    static String key(String file, long start) {
        return file + '\u0000' + start;
    }
}
