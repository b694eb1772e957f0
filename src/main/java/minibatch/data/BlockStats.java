package minibatch.data;

import java.io.Serializable;

/**
 * What one file block (a Spark input split) of a table-format image set holds, found by the
 * validation pass on the executors: its row count, largest label, smallest and largest pixel
 * count per row, and the first bad row's description (or null).
 */
record BlockStats(String file, long start, long rows, int maxLabel, int minWidth, int maxWidth, String firstError)
        implements Serializable {

    /** The key that orders blocks canonically: file, then byte offset. */
    String key() {
        return key(file, start);
    }

    static String key(String file, long start) {
        return file + '\u0000' + start;
    }
}
