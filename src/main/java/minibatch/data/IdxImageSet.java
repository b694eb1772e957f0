package minibatch.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A validated pair of IDX files: images ({@code [count × rows × cols]} unsigned bytes) and their
 * labels ({@code [count]}, each in {@code 0..classes-1}).
 */
public record IdxImageSet(IdxFile images, IdxFile labels) implements Serializable {

    /**
     * Checks both files (headers, exact lengths), that they hold the same number of records and
     * that every label is below {@code classes}. Only headers and labels are read on the driver.
     */
    public static IdxImageSet open(Path imagesPath, Path labelsPath, Configuration conf, int classes) {
        IdxFile images = IdxFile.inspect(imagesPath, conf, IdxHeader.IMAGES_MAGIC);
        IdxFile labels = IdxFile.inspect(labelsPath, conf, IdxHeader.LABELS_MAGIC);
        if (images.header().count() != labels.header().count()) {
            throw new UserError(String.format("%s: holds %d images but %s holds %d labels",
                    images.path(), images.header().count(), labels.path(), labels.header().count()));
        }
        checkLabelRange(labels, conf, classes);
        return new IdxImageSet(images, labels);
    }

    private static void checkLabelRange(IdxFile labels, Configuration conf, int classes) {
        try (InputStream in = new BufferedInputStream(labels.openAtRecord(conf, 0))) {
            int count = labels.header().count();
            for (int i = 0; i < count; i++) {
                int label = in.read();
                if (label < 0) {
                    throw new UserError(labels.path() + ": short data at label " + i);
                }
                if (label >= classes) {
                    throw new UserError(String.format("%s: label %d at index %d is outside the class range 0..%d",
                            labels.path(), label, i, classes - 1));
                }
            }
        } catch (IOException e) {
            throw new UserError(labels.path() + ": cannot read: " + e.getMessage(), e);
        }
    }

    public int count() {
        return images.header().count();
    }

    public int rows() {
        return images.header().dims()[1];
    }

    public int cols() {
        return images.header().dims()[2];
    }

    /** Pixels per image (rows × cols): the network's input width. */
    public int pixelsPerImage() {
        return images.header().recordBytes();
    }
}
