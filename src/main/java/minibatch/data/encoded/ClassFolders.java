package minibatch.data.encoded;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.Path;

/**
 * The class folders of an image-folder set, walked on the driver as torchvision's {@code ImageFolder}
 * and Keras' {@code image_dataset_from_directory} walk them: every folder of the set folder is a
 * class, and its images at any depth belong to it. Names starting with {@code .} are hidden: such a
 * folder in the set folder is no class (Keras' rule; {@code .ipynb_checkpoints}), and is refused if
 * it holds images, which would otherwise be lost; inside a class folder they are skipped (hidden
 * files, macOS's {@code ._photo.png} companions, which are no images).
 *
 * <p>Spark's file listing also skips names starting with {@code _}. So that such folders are read
 * anyway, Spark is given every class folder and every {@code _} folder inside one as a path of its own
 * ({@link #roots}): a path Spark is given is listed whatever its name. An image file named so would
 * still be skipped, so it is refused.
 *
 * @param classes the class folders' names, sorted
 * @param roots   the folders Spark reads recursively: together they hold every image of the set, once
 */
record ClassFolders(List<String> classes, List<Path> roots) {
    /** Walks {@code setDir}; every class folder must hold an image. */
    static ClassFolders of(Path setDir, Configuration conf) {
        try {
            FileSystem fs = setDir.getFileSystem(conf);
            GlobFilter images = new GlobFilter(ImageFolders.GLOB);
            List<String> classes = new ArrayList<>();
            List<Path> roots = new ArrayList<>();
            for (FileStatus s : fs.listStatus(setDir)) {
                String name = s.getPath().getName();
                if (name.startsWith(".")) {
                    if (s.isDirectory() && walk(fs, s.getPath(), images, new ArrayList<>()) > 0) {
                        throw new UserError(s.getPath() + ": a class folder's name cannot start with '.' (hidden, "
                                + "and no class for Keras); rename it");
                    }
                    continue;
                }
                if (s.isDirectory()) {
                    roots.add(s.getPath());
                    if (walk(fs, s.getPath(), images, roots) == 0) {
                        throw new UserError(s.getPath() + ": holds no images (.png or .jpg); every class folder needs one");
                    }
                    classes.add(name);
                } else if (images.accept(s.getPath())) {
                    throw new UserError(s.getPath() + ": is not in a class folder; images go in " + setDir + "/<class>/");
                }
            }
            classes.sort(null);
            roots.sort(null);
            return new ClassFolders(classes, roots);
        } catch (IOException e) {
            throw new UserError(setDir + ": cannot list: " + UserError.firstLine(e), e);
        }
    }

    /** The images under {@code dir} at any depth; adds the folders Spark would skip to {@code roots}. */
    private static long walk(FileSystem fs, Path dir, GlobFilter images, List<Path> roots) throws IOException {
        long count = 0;
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (s.isDirectory()) {
                if (hiddenFromSpark(name)) {
                    roots.add(s.getPath());
                }
                count += walk(fs, s.getPath(), images, roots);
            } else if (images.accept(s.getPath())) {
                if (hiddenFromSpark(name)) {
                    throw new UserError(s.getPath() + ": Spark's file listing skips names starting with '_'; "
                            + "rename the file (a folder so named is read)");
                }
                count++;
            }
        }
        return count;
    }

    /**
     * Whether Spark's file listing skips a file or folder of this name inside a path it lists (as
     * {@code HadoopFSUtils.shouldFilterOutPathName} decides, for names not starting with {@code .}).
     */
    static boolean hiddenFromSpark(String name) {
        boolean excluded = name.startsWith("_") && !name.contains("=") || name.endsWith("._COPYING_");
        return excluded && !name.startsWith("_common_metadata") && !name.startsWith("_metadata");
    }
}
