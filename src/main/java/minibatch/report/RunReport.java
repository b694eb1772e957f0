package minibatch.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.training.TrainingResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes every output of a run into its {@link RunDirectory} and commits it: {@code model/},
 * {@code steps.csv}, {@code epochs.csv}, and last {@code summary.json}, the finished-run marker.
 */
public final class RunReport {
    private RunReport() {
    }

    public static void write(RunDirectory dir, TrainingResult result, ObjectNode summary, Configuration conf)
            throws IOException {
        try {
            Path staging = dir.staging();
            FileSystem fs = staging.getFileSystem(conf);
            // Spark ML's layout, so MiniBatchNetClassificationModel.load(RUN/model) works in a Spark shell.
            MiniBatchNetClassificationModel.ofPixels(result.shape(), result.params()).write()
                    .save(new Path(staging, "model").toString());
            MetricsCsv.writeSteps(fs, new Path(staging, "steps.csv"), result.steps());
            MetricsCsv.writeEpochs(fs, new Path(staging, "epochs.csv"), result.epochs());
            SummaryJson.write(fs, new Path(staging, RunDirectory.FINISHED_MARKER), summary);
            dir.commit();
        } catch (IOException | RuntimeException e) {
            dir.abort();
            throw e;
        }
    }
}
