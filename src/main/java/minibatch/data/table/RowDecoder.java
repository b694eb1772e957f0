package minibatch.data.table;

import java.io.Serializable;
import minibatch.data.LabeledImage;
import org.apache.spark.sql.Row;

/**
 * Turns one row of a table-format image set into a {@link LabeledImage}, checking it. Runs on the
 * executors; the row's last two fields are its file and the byte offset of its block.
 */
public interface RowDecoder extends Serializable {
    /**
     * @throws BadRow describing what is wrong with the row (never thrown for rows that passed
     *                the validation pass)
     */
    LabeledImage decode(Row row) throws BadRow;

    /**
     * The row's image and its height in pixels, for the validation pass: 0 where the format gives
     * only a pixel count (tables), the image's own where it has one (encoded images).
     */
    default WithHeight decodeWithHeight(Row row) throws BadRow {
        return new WithHeight(decode(row), 0);
    }

    /** An image and its height in pixels (0: not known). Lives on an executor only; never serialized. */
    record WithHeight(LabeledImage image, int height) {
    }

    /** True for rows that are not data (a CSV header repeated in every part file, a blank line). */
    default boolean skip(Row row) {
        return false;
    }

    /** A row that is not a labelled image; the message names the column and the value. */
    final class BadRow extends Exception {
        private static final long serialVersionUID = 1L;

        public BadRow(String message) {
            super(message, null, false, false);
        }
    }

    /** The start of a bad input line, quoted, for an error message. */
    static String snippet(String line) {
        return "\"" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "\"";
    }

    /** A pixel value as a byte: it must be an integer in 0..255. */
    static byte pixel(double value, String column) throws BadRow {
        if (!(value >= 0 && value <= 255) || value != Math.rint(value)) {
            throw new BadRow(column + " holds " + value + ", not a pixel value (an integer 0..255)");
        }
        return (byte) (int) value;
    }

    /** The largest label a row may hold: the output layer has one unit per class. */
    int MAX_LABEL = 65_535;

    static int label(double value, String column) throws BadRow {
        if (!(value >= 0 && value <= MAX_LABEL) || value != Math.rint(value)) {
            throw new BadRow(column + " holds " + value + ", not a class label (an integer 0.." + MAX_LABEL + ")");
        }
        return (int) value;
    }
}
