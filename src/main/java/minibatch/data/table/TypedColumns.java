package minibatch.data.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import minibatch.UserError;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Which columns of a typed table (Parquet, LibSVM) hold the label and the pixels, by name and
 * type: a numeric {@code label} (optional), and the pixels as a {@code features} or {@code pixels}
 * vector, binary or numeric array, else numeric columns named as pixels ({@link PixelColumnNames}).
 * Any other column is refused, never read as pixels nor dropped unseen.
 */
final class TypedColumns {
    private TypedColumns() {
    }

    /**
     * The label and pixel columns of {@code data} as a {@link TableImageSet}.
     *
     * @throws UserError when no column holds pixels, or a column is neither the label nor pixels
     */
    static TableImageSet open(SparkSession spark, String location, Dataset<Row> data) {
        StructField label = null;
        StructField vector = null;
        List<StructField> others = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            DataType t = f.dataType();
            if (name.equals("label") && t instanceof NumericType && label == null) {
                label = f;
            } else if ((name.equals("features") || name.equals("pixels")) && vector == null && holdsPixels(t)) {
                vector = f;
            } else {
                others.add(f);
            }
        }
        List<StructField> numeric = vector == null ? pixelColumns(location, others) : List.of();
        if (vector != null && !others.isEmpty()) {
            StructField other = others.get(0);
            throw PixelColumnNames.refused(location, other.name(), other.dataType().simpleString());
        }
        List<Column> columns = new ArrayList<>();
        if (label != null) {
            columns.add(functions.col(quoted(label.name())));
        }
        ColumnDecoder decoder;
        if (vector != null) {
            DataType t = vector.dataType();
            ColumnDecoder.Pixels kind = t instanceof BinaryType ? ColumnDecoder.Pixels.BINARY
                    : t instanceof ArrayType ? ColumnDecoder.Pixels.ARRAY : ColumnDecoder.Pixels.VECTOR;
            columns.add(functions.col(quoted(vector.name())));
            decoder = new ColumnDecoder(label != null, kind, List.of(vector.name()));
        } else if (!numeric.isEmpty()) {
            numeric.forEach(f -> columns.add(functions.col(quoted(f.name()))));
            decoder = new ColumnDecoder(label != null, ColumnDecoder.Pixels.COLUMNS,
                    numeric.stream().map(StructField::name).toList());
        } else {
            throw new UserError(location + ": no pixel columns: expected a 'features' vector, a 'pixels' binary or "
                    + "numeric array, or numeric pixel columns (found " + describe(data) + ")");
        }
        return TableImageSet.open(spark, location, data.select(columns.toArray(new Column[0])), decoder);
    }

    /**
     * {@code others} as one pixel each when they are all numeric and named as pixels
     * ({@link PixelColumnNames}); empty when none is numeric (no pixel columns at all).
     *
     * @throws UserError naming the first column that is not a pixel column
     */
    private static List<StructField> pixelColumns(String location, List<StructField> others) {
        if (others.stream().noneMatch(f -> f.dataType() instanceof NumericType)) {
            return List.of();
        }
        for (StructField f : others) {
            if (!(f.dataType() instanceof NumericType)) {
                throw PixelColumnNames.refused(location, f.name(), f.dataType().simpleString());
            }
        }
        PixelColumnNames.check(location, others.stream().map(StructField::name).toList(),
                others.stream().map(f -> f.dataType().simpleString()).toList());
        return others;
    }

    /** A vector (ml or mllib), binary, or numeric array type: one column holding every pixel. */
    private static boolean holdsPixels(DataType t) {
        return t.equals(SQLDataTypes.VectorType()) || t instanceof org.apache.spark.mllib.linalg.VectorUDT
                || t instanceof BinaryType || t instanceof ArrayType a && a.elementType() instanceof NumericType;
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String describe(Dataset<Row> data) {
        List<String> parts = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            parts.add(f.name() + " " + f.dataType().simpleString());
        }
        return parts.isEmpty() ? "no columns" : String.join(", ", parts);
    }
}
