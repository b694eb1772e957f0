package minibatch.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** {@code steps.csv} and {@code epochs.csv}: one row per step / per evaluation, with a header. */
public final class MetricsCsv {
    public static final String STEPS_HEADER = "step,loss,batch_rows,step_ms,elapsed_ms,lr";
    public static final String EPOCHS_HEADER =
            "epoch,step,train_loss,train_accuracy,validation_loss,validation_accuracy,test_loss,test_accuracy";

    private MetricsCsv() {
    }

    /**
     * Loss is the step's mean mini-batch loss (empty for an empty batch); {@code lr} is the learning
     * rate the step's update used.
     */
    public static void writeSteps(FileSystem fs, Path file, List<StepRecord> steps,
                                  java.util.function.LongToDoubleFunction lr) throws IOException {
        try (PrintWriter w = writer(fs, file)) {
            w.println(STEPS_HEADER);
            for (StepRecord s : steps) {
                w.printf(Locale.ROOT, "%d,%s,%d,%.3f,%.1f,%s%n", s.step(), blankIfNaN(s.loss()),
                        s.batchRows(), s.stepMillis(), s.elapsedMillis(), lr.applyAsDouble(s.step()));
            }
            failOnError(w, file);
        }
    }

    public static void writeEpochs(FileSystem fs, Path file, List<EpochRecord> epochs) throws IOException {
        try (PrintWriter w = writer(fs, file)) {
            w.println(EPOCHS_HEADER);
            for (EpochRecord e : epochs) {
                w.printf(Locale.ROOT, "%.4f,%d,%s,%s,%s,%s,%s,%s%n", e.epoch(), e.step(), e.trainLoss(), e.trainAccuracy(),
                        blankIfNaN(e.validationLoss()), blankIfNaN(e.validationAccuracy()), e.testLoss(), e.testAccuracy());
            }
            failOnError(w, file);
        }
    }

    private static String blankIfNaN(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** PrintWriter swallows I/O errors; surface them so a failed write never commits. */
    private static void failOnError(PrintWriter w, Path file) throws IOException {
        if (w.checkError()) {
            throw new IOException("writing " + file + " failed");
        }
    }

    private static PrintWriter writer(FileSystem fs, Path file) throws IOException {
        OutputStream out = fs.create(file, false);
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }
}
