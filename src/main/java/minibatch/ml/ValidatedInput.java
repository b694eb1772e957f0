package minibatch.ml;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What the estimator's training DataFrame holds, checked by one Spark job before any training step,
 * failing as Spark ML estimators do: an {@code IllegalArgumentException} naming the param, its column
 * and a bad value. Labels must be whole numbers in 0..65535 (one output unit each), features vectors of
 * one size holding finite numbers.
 *
 * @param rows     the DataFrame's rows
 * @param inputs   the size of every features vector
 * @param maxLabel the largest label
 */
record ValidatedInput(long rows, int inputs, int maxLabel) {
    /** The largest label: the output layer has one unit per class. */
    static final int MAX_LABEL = 65_535;

    /**
     * Checks {@code rows}, whose columns are {@code label} (the label cast to double), {@code raw_label}
     * (as given) and {@code features} (a vector), named in messages as {@code labelCol} and {@code featuresCol}.
     *
     * @throws IllegalArgumentException for no rows, a label that is not a whole number in 0..65535,
     *                                  features that are null, of different sizes, NaN or infinite
     */
    static ValidatedInput of(Dataset<Row> rows, String labelCol, String featuresCol) {
        Column label = functions.col("label");
        Column badLabel = label.isNull().or(functions.isnan(label)).or(label.lt(0)).or(label.gt(MAX_LABEL))
                .or(label.notEqual(functions.floor(label)));
        Column values = org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64");
        Column size = functions.size(values);
        // 1-based index of the first NaN or infinite value of a row, 0 if none
        Column nonFinite = functions.array_position(functions.transform(values,
                x -> functions.isnan(x).or(functions.abs(x).equalTo(Double.POSITIVE_INFINITY))), true).cast("int");
        Row stats = rows.agg(functions.count(functions.lit(1)), functions.max("label"),
                functions.sum(functions.when(badLabel, 1).otherwise(0)),
                functions.first(functions.when(badLabel, functions.coalesce(functions.col("raw_label").cast("string"),
                        functions.lit("null"))), true),
                functions.sum(functions.when(functions.col("features").isNull(), 1).otherwise(0)),
                functions.min(size), functions.max(size),
                functions.sum(functions.when(nonFinite.gt(0), 1).otherwise(0)),
                functions.first(functions.when(nonFinite.gt(0), functions.concat(
                        functions.element_at(values, nonFinite).cast("string"), functions.lit(" at index "),
                        nonFinite.minus(1).cast("string"))), true)).head();
        long count = stats.getLong(0);
        if (count == 0) {
            throw new IllegalArgumentException("the training DataFrame has no rows");
        }
        if (stats.getLong(2) > 0) {
            throw new IllegalArgumentException(String.format("labelCol '%s' holds %s in %d of %d rows: labels must be "
                    + "whole numbers in 0..%d", labelCol, stats.getString(3), stats.getLong(2), count, MAX_LABEL));
        }
        if (stats.getLong(4) > 0 || stats.getInt(5) != stats.getInt(6) || stats.getInt(5) <= 0) {
            throw new IllegalArgumentException("column " + featuresCol + " must hold vectors of one size: " + stats.getLong(4)
                    + " rows hold null, sizes range from " + stats.get(5) + " to " + stats.get(6));
        }
        if (stats.getLong(7) > 0) {
            throw new IllegalArgumentException(String.format("featuresCol '%s' holds %s in %d of %d rows: features "
                    + "must be finite numbers", featuresCol, stats.getString(8), stats.getLong(7), count));
        }
        return new ValidatedInput(count, stats.getInt(5), (int) stats.getDouble(1));
    }
}
