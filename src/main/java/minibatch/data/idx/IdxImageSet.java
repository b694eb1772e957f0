package minibatch.data.idx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import minibatch.UserError;
import minibatch.data.ImageSource;
import minibatch.data.LabelIndex;
import minibatch.data.LabeledImage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A validated pair of IDX files: images ({@code [count × rows × cols]} unsigned bytes) and their
 * labels ({@code [count]}, each in {@code 0..classes-1}), read slice by slice on the executors.
 */
public record IdxImageSet(IdxFile images, IdxFile labelFile, LabelIndex labels) implements ImageSource, Serializable {

    /**
     * Checks both files (headers, exact lengths), that they hold the same number of records and
     * that every label is below {@code classes} (0 = any label). Only headers and labels are read
     * on the driver.
     */
    public static IdxImageSet open(Path imagesPath, Path labelsPath, Configuration conf, int classes) {
        IdxFile images = IdxFile.inspect(imagesPath, conf, IdxHeader.IMAGES_MAGIC);
        IdxFile labels = IdxFile.inspect(labelsPath, conf, IdxHeader.LABELS_MAGIC);
        if (images.header().count() != labels.header().count()) {
            throw new UserError(String.format("%s: holds %d images but %s holds %d labels",
                    images.path(), images.header().count(), labels.path(), labels.header().count()));
        }
        return new IdxImageSet(images, labels, labelIndex(labels, conf, classes));
    }

    private static LabelIndex labelIndex(IdxFile labels, Configuration conf, int classes) {
        long[] first = new long[256];
        java.util.Arrays.fill(first, -1);
        int max = -1;
        try (InputStream in = new BufferedInputStream(labels.openAtRecord(conf, 0))) {
            int count = labels.header().count();
            for (int i = 0; i < count; i++) {
                int label = in.read();
                if (label < 0) {
                    throw new UserError(labels.path() + ": short data at label " + i);
                }
                if (classes > 0 && label >= classes) {
                    throw new UserError(String.format("%s: label %d at index %d is outside the class range 0..%d",
                            labels.path(), label, i, classes - 1));
                }
                max = Math.max(max, label);
                if (first[label] < 0) {
                    first[label] = i;
                }
            }
        } catch (IOException e) {
            throw new UserError(labels.path() + ": cannot read: " + UserError.firstLine(e), e);
        }
        return new LabelIndex(java.util.Arrays.copyOf(first, max + 1));
    }

    @Override
    public String rowName(long index) {
        return labelFile.path() + ": record " + index;
    }

    @Override
    public String location() {
        return images.path();
    }

    @Override
    public long count() {
        return images.header().count();
    }

    @Override
    public JavaRDD<LabeledImage> read(SparkSession spark, int slices) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> sliceIds = IntStream.range(0, slices).boxed().collect(Collectors.toList());
        var conf = jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
        return jsc.parallelize(sliceIds, slices).flatMap(new SliceReader(this, conf, slices));
    }

    @Override
    public int rows() {
        return images.header().dims()[1];
    }

    @Override
    public int cols() {
        return images.header().dims()[2];
    }

    @Override
    public int pixelsPerImage() {
        return images.header().recordBytes();
    }
}
