package minibatch.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.training.TrainingResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes every output of a run into its {@link RunDirectory} and commits it: {@code model/},
 * {@code steps.csv}, {@code epochs.csv}, the charts ({@code loss.png}, {@code accuracy.png},
 * {@code learning-rate.png}, {@code confusion.png}), {@code report.html} (the charts inlined), and
 * last {@code summary.json}, the finished-run marker.
 */
public final class RunReport {
    private RunReport() {
    }

    /** A chart drawn into a stream. */
    private interface Chart {
        void draw(OutputStream out) throws IOException;
    }

    /**
     * @param lr the learning rate of each step, as the run's schedule gave it
     */
    public static void write(RunDirectory dir, TrainingResult result, ObjectNode summary, LongToDoubleFunction lr,
                             Configuration conf) throws IOException {
        try {
            Path staging = dir.staging();
            FileSystem fs = staging.getFileSystem(conf);
            // Spark ML's layout, so MiniBatchNetClassificationModel.load(RUN/model) works in a Spark shell.
            MiniBatchNetClassificationModel.ofRun(result).write()
                    .save(new Path(staging, "model").toString());
            MetricsCsv.writeSteps(fs, new Path(staging, "steps.csv"), result.steps(), lr);
            MetricsCsv.writeEpochs(fs, new Path(staging, "epochs.csv"), result.epochs());
            Map<String, Chart> charts = new LinkedHashMap<>();
            charts.put("loss.png", out -> RunCharts.loss(result.steps(), out));
            charts.put("accuracy.png", out -> RunCharts.accuracy(result.epochs(), out));
            charts.put("learning-rate.png", out -> RunCharts.learningRate(result.steps(), lr, out));
            if (result.testConfusion() != null) {
                charts.put("confusion.png", out -> RunCharts.confusion(result.testConfusion(), result.classNames(), out));
            }
            Map<String, byte[]> images = new LinkedHashMap<>();
            for (var chart : charts.entrySet()) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                chart.getValue().draw(png);
                images.put(chart.getKey(), png.toByteArray());
                try (OutputStream out = fs.create(new Path(staging, chart.getKey()), false)) {
                    out.write(png.toByteArray());
                }
            }
            if (result.testConfusion() != null) {
                try (OutputStream out = fs.create(new Path(staging, "report.html"), false)) {
                    out.write(HtmlReport.render(summary, result.epochs(), result.steps(), result.testConfusion(), images,
                            result.confidentErrors())
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
