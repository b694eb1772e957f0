package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import minibatch.training.ClassificationMetrics;
import minibatch.training.EpochRecord;

/**
 * {@code report.html}: one self-contained page (inline CSS, no scripts, nothing fetched) with the
 * run's key numbers, the three charts beside it ({@code loss.png}, {@code accuracy.png},
 * {@code confusion.png}), the per-epoch table and per-class precision/recall/F1.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(JsonNode summary, List<EpochRecord> epochs, long[][] confusion) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-minibatch run</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}")
                .append("td.k,th.k{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}</style></head><body>\n");
        h.append("<h1>spark-minibatch run</h1>\n<table>\n");
        StringBuilder layers = new StringBuilder();
        summary.at("/config/layer_sizes").forEach(n -> layers.append(layers.length() == 0 ? "" : "-").append(n.asInt()));
        row(h, "network", layers + " " + summary.at("/config/activation").asText());
        row(h, "data", summary.at("/config/data").asText());
        row(h, "test accuracy", fixed(summary.path("final_test_accuracy").asDouble()));
        row(h, "train accuracy", fixed(summary.path("final_train_accuracy").asDouble()));
        row(h, "steps", summary.path("steps").asText());
        row(h, "training seconds", fixed(summary.path("wall_seconds").asDouble()));
        row(h, "median ms per step", fixed(summary.path("median_ms_per_step").asDouble()));
        row(h, "weights_sha256", summary.path("weights_sha256").asText());
        row(h, "Spark", summary.at("/spark/version").asText() + " on " + summary.at("/spark/conf/spark.master").asText());
        h.append("</table>\n");
        h.append("<h2>Loss</h2>\n<img src=\"loss.png\" alt=\"training loss per step\">\n");
        h.append("<h2>Accuracy</h2>\n<img src=\"accuracy.png\" alt=\"accuracy per epoch\">\n");
        h.append("<table><tr><th>epoch</th><th>step</th><th>train loss</th><th>train acc</th><th>test loss</th>")
                .append("<th>test acc</th></tr>\n");
        for (EpochRecord e : epochs) {
            h.append(String.format(Locale.ROOT, "<tr><td>%.2f</td><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                    + "<td>%.4f</td></tr>%n", e.epoch(), e.step(), e.trainLoss(), e.trainAccuracy(), e.testLoss(),
                    e.testAccuracy()));
        }
        h.append("</table>\n<h2>Confusion matrix (test set)</h2>\n<img src=\"confusion.png\" alt=\"confusion matrix\">\n");
        ClassificationMetrics metrics = new ClassificationMetrics(confusion);
        h.append("<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        for (int k = 0; k < confusion.length; k++) {
            h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>%n",
                    k, metrics.precision(k), metrics.recall(k), metrics.f1(k), metrics.support(k)));
        }
        h.append(String.format(Locale.ROOT, "</table>\n<p>macro F1 %.4f</p>\n</body></html>\n", metrics.macroF1()));
        return h.toString();
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th class=\"k\">").append(escape(key)).append("</th><td class=\"k\">").append(escape(value))
                .append("</td></tr>\n");
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
