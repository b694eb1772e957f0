package minibatch.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.training.TrainingResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes every output of a run into its {@link RunDirectory} and commits it: {@code model/},
 * {@code steps.csv}, {@code epochs.csv}, the charts ({@code loss.png}, {@code accuracy.png},
 * {@code confusion.png}), {@code report.html}, and last {@code summary.json}, the finished-run marker.
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
            MiniBatchNetClassificationModel.ofRun(result).write()
                    .save(new Path(staging, "model").toString());
            MetricsCsv.writeSteps(fs, new Path(staging, "steps.csv"), result.steps());
            MetricsCsv.writeEpochs(fs, new Path(staging, "epochs.csv"), result.epochs());
            try (OutputStream out = fs.create(new Path(staging, "loss.png"), false)) {
                RunCharts.loss(result.steps(), out);
            }
            try (OutputStream out = fs.create(new Path(staging, "accuracy.png"), false)) {
                RunCharts.accuracy(result.epochs(), out);
            }
            if (result.testConfusion() != null) {
                try (OutputStream out = fs.create(new Path(staging, "confusion.png"), false)) {
                    RunCharts.confusion(result.testConfusion(), out);
                }
                try (OutputStream out = fs.create(new Path(staging, "report.html"), false)) {
                    out.write(HtmlReport.render(summary, result.epochs(), result.testConfusion())
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            // last: summary.json marks a finished run
            SummaryJson.write(fs, new Path(staging, RunDirectory.FINISHED_MARKER), summary);
            dir.commit();
        } catch (IOException | RuntimeException e) {
            dir.abort();
            throw e;
        }
    }
}
