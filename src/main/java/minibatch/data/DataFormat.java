package minibatch.data;

import java.util.Locale;
import minibatch.Names;

/**
 * File formats of image sets. {@code AUTO} picks by what a folder holds or by extension
 * ({@code .csv}, {@code .parquet}, {@code .libsvm}/{@code .svm}, each CSV/LibSVM also compressed).
 * {@code FOLDERS}: {@code train/<class>/*.png|jpg} image folders; {@code HUB}: a data hub's
 * {@code train-*.parquet} files of encoded images (Hugging Face).
 */
public enum DataFormat {
    AUTO, IDX, CSV, PARQUET, LIBSVM, FOLDERS, HUB;

    public static DataFormat parse(String name) {
        return Names.parse(DataFormat.class, name, "format");
    }

    public String id() {
        return Names.id(this);
    }

    /** The format a file or folder name says, or {@code null}; compression suffixes are ignored. */
    static DataFormat ofName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|deflate|lz4|snappy|zst)$", "");
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        if (n.endsWith(".libsvm") || n.endsWith(".svm")) {
            return LIBSVM;
        }
        if (n.endsWith("-ubyte") || n.endsWith(".idx")) {
            return IDX;
        }
        return null;
    }

    /** File or folder names a set ("train" or "test") may have in a data folder, in this format. */
    String[] setNames(String set) {
        return switch (this) {
            case CSV -> new String[] {set + ".csv", set + ".csv.gz"};
            case PARQUET -> new String[] {set + ".parquet"};
            case LIBSVM -> new String[] {set + ".libsvm", set + ".svm", set + ".libsvm.gz", set + ".svm.gz"};
            default -> new String[0];
        };
    }
}
