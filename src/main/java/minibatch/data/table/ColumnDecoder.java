package minibatch.data.table;

import java.util.List;
import minibatch.data.LabeledImage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Decodes a row of a typed table (Parquet, LibSVM, any DataFrame): an optional numeric label in
 * field 0, then the pixels as one Spark ML {@code Vector}, one {@code binary} (a byte per pixel),
 * one numeric array, or one numeric column per pixel.
 */
public final class ColumnDecoder implements RowDecoder {
    private static final long serialVersionUID = 1L;

    /** How a row holds its pixels. */
    public enum Pixels { VECTOR, BINARY, ARRAY, COLUMNS }

    private final boolean labelled;
    private final Pixels kind;
    private final String[] names;

    /**
     * @param labelled whether field 0 is the label
     * @param kind     how the pixel fields hold the pixels
     * @param names    the pixel fields' column names, in order (one name unless {@code COLUMNS})
     */
    public ColumnDecoder(boolean labelled, Pixels kind, List<String> names) {
        this.labelled = labelled;
        this.kind = kind;
        this.names = names.toArray(new String[0]);
    }

    @Override
    public LabeledImage decode(Row row) throws BadRow {
        int first = labelled ? 1 : 0;
        int label = -1;
        if (labelled) {
            if (row.isNullAt(0)) {
                throw new BadRow("a row has no label (null)");
            }
            label = RowDecoder.label(((Number) row.get(0)).doubleValue(), "label");
        }
        for (int i = 0; i < (kind == Pixels.COLUMNS ? names.length : 1); i++) {
            if (row.isNullAt(first + i)) {
                throw new BadRow("column '" + names[i] + "' is null in a row");
            }
        }
        return new LabeledImage(label, switch (kind) {
            case BINARY -> row.<byte[]>getAs(first);
            case VECTOR -> pixels(values(row.get(first)));
            case ARRAY -> pixels(row.getList(first));
            case COLUMNS -> columns(row, first);
        });
    }

    /** Spark ML vectors, and the older MLlib ones that Parquet files written by MLlib 1.x hold. */
    private static double[] values(Object vector) {
        return vector instanceof Vector v ? v.toArray() : ((org.apache.spark.mllib.linalg.Vector) vector).toArray();
    }

    private byte[] pixels(double[] values) throws BadRow {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = RowDecoder.pixel(values[i], names[0] + "[" + i + "]");
        }
        return out;
    }

    private byte[] pixels(List<Object> values) throws BadRow {
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new BadRow(names[0] + "[" + i + "] is null in a row");
            }
            out[i] = RowDecoder.pixel(((Number) v).doubleValue(), names[0] + "[" + i + "]");
        }
        return out;
    }

    private byte[] columns(Row row, int first) throws BadRow {
        byte[] out = new byte[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = RowDecoder.pixel(((Number) row.get(first + i)).doubleValue(), "column '" + names[i] + "'");
        }
        return out;
    }
}
