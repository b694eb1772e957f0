package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import minibatch.ReplacedFile;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code compare.html}: finished runs side by side on one self-contained page: their smoothed
 * training loss and their test accuracy per epoch overlaid, and a table of each run's
 * configuration and final numbers. Reads only the runs' {@code summary.json}, {@code steps.csv}
 * and {@code epochs.csv}.
 */
public final class RunComparison {
    private RunComparison() {
    }

    /** One run as the comparison reads it. */
    record Run(String name, JsonNode summary, List<double[]> loss, List<double[]> testAccuracy) {
    }

    /** Reads the finished run at {@code dir}. */
    static Run read(String dir, Configuration conf) {
        Path root = new Path(dir);
        try {
            FileSystem fs = root.getFileSystem(conf);
            Path summary = new Path(root, RunDirectory.FINISHED_MARKER);
            if (!fs.exists(summary)) {
                throw new UserError(dir + ": not a finished run (no " + RunDirectory.FINISHED_MARKER + ")");
            }
            JsonNode json;
            try (var in = fs.open(summary)) {
                json = new ObjectMapper().readTree(in);
            }
            List<double[]> loss = new ArrayList<>();
            double ema = Double.NaN;
            List<String[]> steps = csv(fs, new Path(root, "steps.csv"));
            double alpha = 1.0 / Math.max(10, steps.size() / 100.0);
            for (String[] s : steps) {
                if (!s[1].isEmpty()) {
                    double l = Double.parseDouble(s[1]);
                    ema = Double.isNaN(ema) ? l : ema + alpha * (l - ema);
                    loss.add(new double[] {Double.parseDouble(s[0]), ema});
                }
            }
            List<double[]> accuracy = new ArrayList<>();
            for (String[] e : csv(fs, new Path(root, "epochs.csv"))) {
                accuracy.add(new double[] {Double.parseDouble(e[0]), Double.parseDouble(e[7])});
            }
            return new Run(root.getName().isEmpty() ? dir : root.getName(), json, loss, accuracy);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError(dir + ": cannot read the run: " + UserError.firstLine(e), e);
        }
    }

    /** The rows of a CSV file with a header line, split at commas. */
    private static List<String[]> csv(FileSystem fs, Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
        }
        return rows;
    }

    /** The page comparing {@code runs}. */
    static String render(List<Run> runs) throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-minibatch runs compared</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}")
                .append("td.k,th.k{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}</style></head><body>\n")
                .append("<h1>").append(runs.size()).append(" runs compared</h1>\n<table><tr><th class=\"k\"></th>");
        runs.forEach(r -> h.append("<th>").append(HtmlReport.escape(r.name())).append("</th>"));
        h.append("</tr>\n");
        row(h, runs, "test accuracy", r -> fixed(r.summary().path("final_test_accuracy").asDouble()));
        row(h, runs, "test loss", r -> fixed(r.summary().path("final_test_loss").asDouble()));
        row(h, runs, "train accuracy", r -> fixed(r.summary().path("final_train_accuracy").asDouble()));
        row(h, runs, "steps", r -> r.summary().path("steps").asText());
        row(h, runs, "training seconds", r -> String.format(Locale.ROOT, "%.1f", r.summary().path("wall_seconds").asDouble()));
        row(h, runs, "median ms per step", r -> fixed(r.summary().path("median_ms_per_step").asDouble()));
        row(h, runs, "network", r -> SummaryJson.network(r.summary().path("config"), " "));
        row(h, runs, "optimizer", r -> r.summary().at("/config/optimizer/name").asText());
        row(h, runs, "learning rate", r -> r.summary().at("/config/learning_rate").asText() + " "
                + r.summary().at("/config/lr_schedule/name").asText());
        row(h, runs, "batch size", r -> r.summary().at("/config/batch_size").asText());
        row(h, runs, "seed", r -> r.summary().at("/config/seed").asText());
        row(h, runs, "sampler", r -> r.summary().path("sampler").asText());
        row(h, runs, "master", r -> r.summary().at("/spark/conf/spark.master").asText());
        row(h, runs, "weights_sha256", r -> r.summary().path("weights_sha256").asText().substring(0, 12) + "…");
        h.append("</table>\n");
        HtmlReport.image(h, "Training loss (smoothed)", "training loss per step",
                chart(runs, Run::loss, "step", "cross-entropy loss (moving average)"));
        HtmlReport.image(h, "Test accuracy per epoch", "test accuracy per epoch",
                chart(runs, Run::testAccuracy, "epoch", "test accuracy"));
        return h.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder h, List<Run> runs, String key, java.util.function.Function<Run, String> value) {
        h.append("<tr><th class=\"k\">").append(HtmlReport.escape(key)).append("</th>");
        runs.forEach(r -> h.append("<td>").append(HtmlReport.escape(value.apply(r))).append("</td>"));
        h.append("</tr>\n");
    }

    private static byte[] chart(List<Run> runs, java.util.function.Function<Run, List<double[]>> points, String x, String y)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Run r : runs) {
            XYSeries series = new XYSeries(r.name() + " (" + (data.getSeriesCount() + 1) + ")");
            points.apply(r).forEach(p -> series.add(p[0], p[1]));
            data.addSeries(series);
        }
        // markers where a run has few points (an accuracy per epoch), so a one-epoch run shows too
        boolean few = runs.stream().anyMatch(r -> points.apply(r).size() < 50);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, few);
        for (int i = 0; i < runs.size(); i++) {
            lines.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis yAxis = new NumberAxis(y);
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis(x), yAxis, lines);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        JFreeChart chart = new JFreeChart(null, null, plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, RunCharts.WIDTH, RunCharts.HEIGHT);
        return png.toByteArray();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Reads {@code dirs} and writes the page to {@code out}; returns where it went. */
    public static Path write(List<String> dirs, String out, Configuration conf) throws IOException {
        if (dirs.size() < 2) {
            throw new UserError("compare needs at least two runs (got " + dirs.size() + ")");
        }
        List<Run> runs = new ArrayList<>();
        for (String d : dirs) {
            runs.add(read(d, conf));
        }
        Path target = ResultFile.COMPARISON.checkReplaceable(out, "--out", conf);
        byte[] page = render(runs).getBytes(StandardCharsets.UTF_8);
        ReplacedFile.write(target, conf, o -> o.write(page));
        return target;
    }
}
