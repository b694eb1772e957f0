package minibatch.data;

import minibatch.UserError;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * A validated set of labelled images in some file format (IDX, CSV, Parquet, LibSVM), already
 * checked on open: row count, image size and label range are known before anything is cached.
 * Rows have a canonical order that does not depend on how Spark splits the files, so the same
 * images in another format give the same cached partitions (and the same training run).
 */
public interface ImageSource {
    /** Where the rows come from, for messages. */
    String location();

    long count();

    /** Image height; 1 when the data gives only a pixel count that is not a square. */
    int rows();

    /**
     * Whether {@link #rows} is the images' real height: true for formats that give it (IDX, encoded
     * images) and for square pixel counts, false for a table whose pixel count is not a square.
     */
    default boolean knowsHeight() {
        return true;
    }

    int cols();

    /** Values per pixel: 1 (gray) or 3 (R, G, B, channels last). */
    default int channels() {
        return 1;
    }

    /** Values per image (rows × cols × channels): the network's input width. */
    default int pixelsPerImage() {
        return rows() * cols() * channels();
    }

    /** Which labels the rows hold, and each one's first row. */
    LabelIndex labels();

    /**
     * The name of each class ({@code [label]}), where the data name them (image folders, a data
     * hub's metadata); empty where labels are only numbers.
     */
    default java.util.List<String> classNames() {
        return java.util.List.of();
    }

    /** The largest label, or -1 when the rows carry no labels. */
    default int maxLabel() {
        return labels().max();
    }

    /** Names row {@code index} (canonical order) for a message: its file and its row in that file. */
    String rowName(long index);

    /**
     * The rows in canonical order over {@code slices} partitions: partition {@code i} holds rows
     * {@code [count·i/slices, count·(i+1)/slices)} in order. Read on the executors, lazily.
     */
    JavaRDD<LabeledImage> read(SparkSession spark, int slices);

    /** First row of slice {@code i}: slices differ in size by at most one row. */
    static long sliceStart(long count, int slices, int i) {
        return count * i / slices;
    }

    /**
     * Checks that every label is below {@code classes} (0 = no limit), naming {@code option}.
     */
    default void requireLabelsBelow(int classes, String option) {
        if (classes > 0 && maxLabel() >= classes) {
            throw new UserError(String.format("%s: holds label %d, outside the class range 0..%d of %s %d",
                    location(), maxLabel(), classes - 1, option, classes));
        }
    }
}
