package minibatch.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import minibatch.UserError;
import minibatch.data.encoded.HubParquet;
import minibatch.data.encoded.ImageFolders;
import minibatch.data.idx.MnistFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Finds where a set ("train" or "test") is and in which format, by the names of the files at a
 * location, reading no contents: the four MNIST IDX files, {@code SET.csv}, {@code SET.parquet},
 * {@code SET.libsvm}, {@code SET/<class>/} image folders or {@code SET-*.parquet} hub files in a
 * data folder, or (for a single set) a table file or folder named by its extension.
 */
final class SetDiscovery {
    private SetDiscovery() {
    }

    /** Where a set is: an IDX, image-folder or hub data folder ({@code path} the folder), or a table file or folder. */
    record Found(Path path, DataFormat format) {
    }

    /**
     * Finds set {@code set} at {@code path}.
     *
     * @param format what the user asked for; AUTO tells by the files
     * @throws UserError naming the location and what is missing
     */
    static Found find(Path path, FileStatus status, String option, DataFormat format, String set,
                      ImageSources.Use use, Configuration conf) {
        String where = option + " " + path;
        DataFormat named = DataFormat.ofName(path.getName());
        if (status.isDirectory() && named == null) {
            Found found = inFolder(path, option, format, set, conf);
            if (found != null) {
                return found;
            }
            if (use == ImageSources.Use.TRAINING || format == DataFormat.AUTO) {
                throw new UserError(where + ": holds no " + set + " set (expected the MNIST IDX files, "
                        + String.join(", ", tableNames(set)) + ", " + set + "/<class>/ image folders or " + set + "-*.parquet)");
            }
        } else if (use == ImageSources.Use.TRAINING) {
            throw new UserError(where + ": must be a folder holding a train and a test set");
        }
        DataFormat f = format != DataFormat.AUTO ? format : named;
        if (f == null) {
            throw new UserError(where + ": cannot tell its format from the name; use --format csv, parquet or libsvm");
        }
        if (f == DataFormat.IDX) {
            throw new UserError(where + ": IDX sets are two files (images and labels); give the folder holding them");
        }
        if (f == DataFormat.FOLDERS || f == DataFormat.HUB) {
            throw new UserError(where + ": give the data folder that holds the " + set + " set");
        }
        return new Found(path, f);
    }

    /** The set in data folder {@code dir}, in the order formats are tried, or null. */
    private static Found inFolder(Path dir, String option, DataFormat format, String set, Configuration conf) {
        if ((format == DataFormat.AUTO || format == DataFormat.IDX) && MnistFiles.holds(dir, set, conf)) {
            return new Found(dir, DataFormat.IDX);
        }
        if (format == DataFormat.IDX) {
            // names the missing file
            MnistFiles.locate(dir.toString(), set.equals("test") ? MnistFiles.TEST_IMAGES : MnistFiles.TRAIN_IMAGES, conf, option);
        }
        List<DataFormat> candidates = format == DataFormat.AUTO
                ? List.of(DataFormat.CSV, DataFormat.PARQUET, DataFormat.LIBSVM) : List.of(format);
        for (DataFormat f : candidates) {
            for (String name : f.setNames(set)) {
                Path p = new Path(dir, name);
                if (exists(p, conf)) {
                    return new Found(p, f);
                }
            }
        }
        if ((format == DataFormat.AUTO || format == DataFormat.FOLDERS) && ImageFolders.holds(dir, set, conf)) {
            return new Found(dir, DataFormat.FOLDERS);
        }
        if ((format == DataFormat.AUTO || format == DataFormat.HUB) && !HubParquet.files(dir, set, conf).isEmpty()) {
            return new Found(dir, DataFormat.HUB);
        }
        return null;
    }

    /** The first name of the set in each table format, for messages. */
    private static List<String> tableNames(String set) {
        List<String> all = new ArrayList<>();
        for (DataFormat f : List.of(DataFormat.CSV, DataFormat.PARQUET, DataFormat.LIBSVM)) {
            all.add(f.setNames(set)[0]);
        }
        return all;
    }

    /** {@code path}'s status; a missing or unreadable path is a user error naming {@code what}. */
    static FileStatus status(Path path, Configuration conf, String what) {
        try {
            return path.getFileSystem(conf).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new UserError(what + ": not found");
        } catch (IOException e) {
            throw new UserError(what + ": cannot read: " + UserError.firstLine(e), e);
        }
    }

    /** Absolute, with scheme: on a cluster, executors do not share the driver's working directory. */
    static Path qualified(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).makeQualified(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot resolve: " + UserError.firstLine(e), e);
        }
    }

    private static boolean exists(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }
}
