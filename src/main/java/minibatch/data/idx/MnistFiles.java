package minibatch.data.idx;

import java.io.IOException;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The four MNIST files in one folder of any Hadoop file system, each raw or {@code .gz}:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}. Fashion-MNIST uses the same names.
 */
public final class MnistFiles {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String[] SUFFIXES = {"", ".gz"};

    private MnistFiles() {
    }

    /** The validated training set in {@code dir}. */
    public static IdxImageSet train(String dir, Configuration conf, int classes) {
        return set(dir, "train", conf, classes, "--data");
    }

    /** The validated test set in {@code dir}. */
    public static IdxImageSet test(String dir, Configuration conf, int classes) {
        return set(dir, "test", conf, classes, "--data");
    }

    /** The validated {@code set} ("train" or "test") in {@code dir}; {@code option} names {@code dir} in messages. */
    static IdxImageSet set(String dir, String set, Configuration conf, int classes, String option) {
        boolean test = set.equals("test");
        return IdxImageSet.open(locate(dir, test ? TEST_IMAGES : TRAIN_IMAGES, conf, option),
                locate(dir, test ? TEST_LABELS : TRAIN_LABELS, conf, option), conf, classes);
    }

    /** Whether {@code dir} holds the images file of {@code set} ("train" or "test"), raw or gzip. */
    public static boolean holds(Path dir, String set, Configuration conf) {
        String name = set.equals("test") ? TEST_IMAGES : TRAIN_IMAGES;
        try {
            FileSystem fs = dir.getFileSystem(conf);
            for (String suffix : SUFFIXES) {
                if (fs.exists(new Path(dir, name + suffix))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list: " + UserError.firstLine(e), e);
        }
    }

    /** {@code dir/name} if it exists, else {@code dir/name.gz}; prefers the raw file. */
    public static Path locate(String dir, String name, Configuration conf, String option) {
        Path folder = new Path(dir);
        try {
            FileSystem fs = folder.getFileSystem(conf);
            // absolute, with scheme: executors on a cluster do not share the driver's working directory
            folder = fs.makeQualified(folder);
            if (!fs.exists(folder)) {
                throw new UserError(option + " " + dir + ": folder not found");
            }
            if (!fs.getFileStatus(folder).isDirectory()) {
                throw new UserError(option + " " + dir + ": not a folder (it should hold the four IDX files)");
            }
            for (String suffix : SUFFIXES) {
                Path p = new Path(folder, name + suffix);
                if (fs.exists(p)) {
                    return p;
                }
            }
        } catch (IOException e) {
            throw new UserError(option + " " + dir + ": cannot list: " + UserError.firstLine(e), e);
        }
        throw new UserError(new Path(folder, name) + ": not found (nor " + name + ".gz)");
    }
}
