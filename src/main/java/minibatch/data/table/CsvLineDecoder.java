package minibatch.data.table;

import minibatch.data.LabeledImage;
import org.apache.spark.sql.Row;

/**
 * Decodes one CSV line: a label column (Kaggle's {@code label,pixel0,...,pixel783} layout puts
 * it first) and one column per pixel, each an integer 0..255. Lines equal to the header, which
 * Spark repeats in every part file it writes, and blank lines are skipped. Files as spreadsheet
 * programs export them read the same: a UTF-8 byte-order mark is dropped, CRLF line ends are
 * Spark's text reader's business, and quoted fields are unquoted.
 */
public final class CsvLineDecoder implements RowDecoder {
    private static final long serialVersionUID = 1L;

    private final String header;
    private final int labelColumn;
    private final int columns;

    /**
     * @param header      the header line, or null when the files have none
     * @param labelColumn index of the label column, or -1 for unlabelled rows
     * @param columns     columns every line must have
     */
    public CsvLineDecoder(String header, int labelColumn, int columns) {
        this.header = header == null ? null : withoutBom(header);
        this.labelColumn = labelColumn;
        this.columns = columns;
    }

    @Override
    public boolean skip(Row row) {
        String line = withoutBom(row.getString(0));
        return line.isBlank() || line.equals(header);
    }

    @Override
    public LabeledImage decode(Row row) throws BadRow {
        String line = withoutBom(row.getString(0));
        String[] fields = line.split(",", -1);
        if (fields.length != columns) {
            throw new BadRow("a row has " + fields.length + " columns, expected " + columns + ": "
                    + RowDecoder.snippet(line));
        }
        byte[] pixels = new byte[labelColumn < 0 ? columns : columns - 1];
        int label = -1;
        int p = 0;
        for (int c = 0; c < columns; c++) {
            double value = number(fields[c], c, line);
            if (c == labelColumn) {
                label = RowDecoder.label(value, "column " + (c + 1));
            } else {
                pixels[p++] = RowDecoder.pixel(value, "column " + (c + 1) + " of " + RowDecoder.snippet(line));
            }
        }
        return new LabeledImage(label, pixels);
    }

    /** {@code line} without the byte-order mark that spreadsheet programs put at a UTF-8 file's start. */
    public static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    private static double number(String field, int column, String line) throws BadRow {
        String f = field.strip();
        if (f.length() >= 2 && f.charAt(0) == '"' && f.charAt(f.length() - 1) == '"') {
            f = f.substring(1, f.length() - 1).strip();
        }
        int n = f.length();
        if (n > 0 && n <= 9) {
            int v = 0;
            int i = 0;
            for (; i < n; i++) {
                char ch = f.charAt(i);
                if (ch < '0' || ch > '9') {
                    break;
                }
                v = v * 10 + (ch - '0');
            }
            if (i == n) {
                return v;
            }
        }
        try {
            return Double.parseDouble(f);
        } catch (NumberFormatException e) {
            throw new BadRow("column " + (column + 1) + " holds '" + f + "', not a number: " + RowDecoder.snippet(line));
        }
    }
}
