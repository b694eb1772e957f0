package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.training.ClassificationMetrics;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;

/**
 * {@code report.html}: one self-contained page (inline CSS, the charts inlined as PNG data, no
 * scripts, nothing fetched) with the run's key numbers, its configuration, the charts, loss and
 * accuracy per epoch on train, validation and test with each epoch's time, and per-class
 * precision/recall/F1.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /**
     * @param steps  every step (for each epoch's time)
     * @param images PNG bytes by file name: {@code loss.png}, {@code accuracy.png},
     *               {@code learning-rate.png}, {@code confusion.png}
     * @param errors the test rows the model gets wrong most confidently, for the gallery
     */
    public static String render(JsonNode summary, List<EpochRecord> epochs, List<StepRecord> steps, long[][] confusion,
                                Map<String, byte[]> images, List<ConfidentErrors.Wrong> errors) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-minibatch run</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}")
                .append("td.k,th.k{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}")
                .append(".cols{display:flex;flex-wrap:wrap;gap:2em}")
                .append(".gallery{display:flex;flex-wrap:wrap;gap:1em}.gallery figure{margin:0;text-align:center;font-size:90%}")
                .append(".gallery img{width:84px;image-rendering:pixelated;border:1px solid #999}</style></head><body>\n");
        h.append("<h1>spark-minibatch run</h1>\n<div class=\"cols\"><div><h2>Result</h2><table>\n");
        row(h, "test accuracy", fixed(summary.path("final_test_accuracy").asDouble()));
        row(h, "train accuracy", fixed(summary.path("final_train_accuracy").asDouble()));
        if (summary.has("final_validation_accuracy")) {
            row(h, "validation accuracy", fixed(summary.path("final_validation_accuracy").asDouble()));
        }
        row(h, "test loss", fixed(summary.path("final_test_loss").asDouble()));
        row(h, "steps", summary.path("steps").asText());
        row(h, "training seconds", String.format(Locale.ROOT, "%.1f (evaluations %.1f)", summary.path("wall_seconds")
                .asDouble(), summary.path("evaluation_seconds").asDouble()));
        row(h, "median ms per step", fixed(summary.path("median_ms_per_step").asDouble()));
        row(h, "rows", "train " + summary.path("train_rows").asText() + ", validation "
                + summary.path("validation_rows").asText() + ", test " + summary.path("test_rows").asText());
        row(h, "weights_sha256", summary.path("weights_sha256").asText());
        h.append("</table></div>\n<div><h2>Configuration</h2><table>\n");
        configuration(h, summary);
        h.append("</table></div></div>\n");
        image(h, "Loss", "training loss per step", images.get("loss.png"));
        image(h, "Accuracy", "accuracy per epoch", images.get("accuracy.png"));
        epochTable(h, epochs, steps);
        image(h, "Learning rate", "learning rate per step", images.get("learning-rate.png"));
        image(h, "Confusion matrix (test set)", "confusion matrix", images.get("confusion.png"));
        ClassificationMetrics metrics = new ClassificationMetrics(confusion);
        List<String> names = classNames(summary);
        h.append("<table><tr><th>class</th>").append(names.isEmpty() ? "" : "<th class=\"k\">name</th>")
                .append("<th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        for (int k = 0; k < confusion.length; k++) {
            h.append("<tr><td>").append(k).append("</td>")
                    .append(names.isEmpty() ? "" : "<td class=\"k\">" + escape(names.get(k)) + "</td>")
                    .append(String.format(Locale.ROOT, "<td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>%n",
                            metrics.precision(k), metrics.recall(k), metrics.f1(k), metrics.support(k)));
        }
        h.append(String.format(Locale.ROOT, "</table>\n<p>macro F1 %.4f</p>\n", metrics.macroF1()));
        gallery(h, errors, names, summary.path("input_channels").asInt(1));
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void configuration(StringBuilder h, JsonNode summary) {
        JsonNode c = summary.path("config");
        row(h, "network", SummaryJson.network(c, ", ") + ", " + c.path("initializer").asText() + " initialisation");
        row(h, "optimizer", params(c.path("optimizer")));
        row(h, "learning rate", c.path("learning_rate").asText() + ", schedule " + params(c.path("lr_schedule")));
        row(h, "batch size", c.path("batch_size").asText() + " (fraction sampled; mean "
                + String.format(Locale.ROOT, "%.1f", summary.path("mean_batch_rows").asDouble()) + " rows)");
        row(h, "weight decay, dropout", c.path("weight_decay").asText() + ", " + c.path("dropout").asText());
        row(h, "validation, patience", c.path("validation_fraction").asText() + ", " + c.path("early_stopping_patience").asText());
        row(h, "seed", c.path("seed").asText());
        row(h, "data", c.path("data").asText() + " (" + c.path("format").asText() + ")");
        row(h, "sampler", summary.path("sampler").asText() + " on " + summary.path("partitions").asText() + " partitions");
        row(h, "Spark", summary.at("/spark/version").asText() + ", master " + summary.at("/spark/conf/spark.master").asText());
    }

    /** "adam (beta1 0.9, beta2 0.999, epsilon 1e-08)" from {@code {"name": "adam", "beta1": 0.9, ...}}. */
    private static String params(JsonNode node) {
        StringBuilder s = new StringBuilder(node.path("name").asText());
        StringBuilder rest = new StringBuilder();
        node.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("name")) {
                rest.append(rest.length() == 0 ? "" : ", ").append(f.getKey().replace('_', ' ')).append(' ')
                        .append(f.getValue().asText());
            }
        });
        return rest.length() == 0 ? s.toString() : s.append(" (").append(rest).append(')').toString();
    }

    /** Loss and accuracy per evaluation, and the time since the previous one (its steps and evaluation). */
    private static void epochTable(StringBuilder h, List<EpochRecord> epochs, List<StepRecord> steps) {
        Map<Long, Double> elapsed = new HashMap<>();
        steps.forEach(s -> elapsed.put(s.step(), s.elapsedMillis()));
        boolean validation = epochs.stream().anyMatch(e -> Double.isFinite(e.validationLoss()));
        h.append("<table><tr><th>epoch</th><th>step</th><th>train loss</th><th>train acc</th>");
        if (validation) {
            h.append("<th>validation loss</th><th>validation acc</th>");
        }
        h.append("<th>test loss</th><th>test acc</th><th>seconds</th></tr>\n");
        double before = 0;
        for (EpochRecord e : epochs) {
            double at = elapsed.getOrDefault(e.step(), Double.NaN);
            h.append(String.format(Locale.ROOT, "<tr><td>%.2f</td><td>%d</td><td>%.4f</td><td>%.4f</td>", e.epoch(), e.step(),
                    e.trainLoss(), e.trainAccuracy()));
            if (validation) {
                h.append(String.format(Locale.ROOT, "<td>%.4f</td><td>%.4f</td>", e.validationLoss(), e.validationAccuracy()));
            }
            h.append(String.format(Locale.ROOT, "<td>%.4f</td><td>%.4f</td><td>%.1f</td></tr>%n", e.testLoss(),
                    e.testAccuracy(), (at - before) / 1000));
            before = Double.isFinite(at) ? at : before;
        }
        h.append("</table>\n<p>seconds: from the previous evaluation's last step to this one's (steps and the previous "
                + "evaluation).</p>\n");
    }

    /** The most confident wrong predictions: each image with its true and predicted class and probability. */
    private static void gallery(StringBuilder h, List<ConfidentErrors.Wrong> errors, List<String> names, int channels) {
        if (errors.isEmpty() || errors.get(0).pixels() == null) {
            return;
        }
        h.append("<h2>The ").append(errors.size()).append(" most confident wrong test predictions</h2>\n<div class=\"gallery\">\n");
        for (ConfidentErrors.Wrong w : errors) {
            h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png(w.pixels(), channels)))
                    .append("\" alt=\"test row ").append(w.index()).append("\"><figcaption>row ").append(w.index())
                    .append("<br>true ").append(named(w.label(), names)).append(", predicted ").append(named(w.predicted(), names))
                    .append(String.format(Locale.ROOT, "<br>p = %.3f", w.probability())).append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    /** The run's class names ({@code summary.json}'s {@code class_names}), or empty. */
    static List<String> classNames(JsonNode summary) {
        List<String> names = new java.util.ArrayList<>();
        summary.path("class_names").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** "k" or, where the classes have names, "k (name)", escaped for HTML. */
    private static String named(int k, List<String> names) {
        return k < names.size() ? k + " (" + escape(names.get(k)) + ")" : Integer.toString(k);
    }

    /**
     * {@code pixels} (square if they can be, else one row) as a PNG: grey, or with 3 channels in colour
     * ({@code pixels} holding R, G, B per pixel).
     */
    static byte[] png(byte[] pixels, int channels) {
        int n = pixels.length / channels;
        int side = (int) Math.round(Math.sqrt(n));
        int rows = side * side == n ? side : 1;
        int cols = n / rows;
        var image = new java.awt.image.BufferedImage(cols, rows, channels == 3 ? java.awt.image.BufferedImage.TYPE_3BYTE_BGR
                : java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        if (channels == 3) {
            for (int i = 0; i < n; i++) {
                image.setRGB(i % cols, i / cols, (pixels[3 * i] & 0xff) << 16 | (pixels[3 * i + 1] & 0xff) << 8
                        | (pixels[3 * i + 2] & 0xff));
            }
        } else {
            image.getRaster().setDataElements(0, 0, cols, rows, pixels);
        }
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A heading and the PNG {@code png} inlined as a data URI; nothing when {@code png} is null. */
    static void image(StringBuilder h, String title, String alt, byte[] png) {
        if (png == null) {
            return;
        }
        h.append("<h2>").append(escape(title)).append("</h2>\n<img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\" alt=\"").append(escape(alt)).append("\">\n");
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
