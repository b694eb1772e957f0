package minibatch.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report opened in a real browser (headless Chromium): every image decodes, and the page
 * raises no script error. Skipped where no Chromium is installed; run alone with
 * {@code mvn -B test -Dgroups=browser}.
 */
@Tag("browser")
class ReportInBrowserTest {
    @TempDir
    Path dir;

    private static String chromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (Files.isExecutable(Path.of(folder, name))) {
                    return Path.of(folder, name).toString();
                }
            }
        }
        return null;
    }

    @Test
    void everyImageOfTheReportDecodesInABrowser() throws IOException, InterruptedException {
        String browser = chromium();
        Assumptions.assumeTrue(browser != null, "no Chromium installed");
        List<StepRecord> steps = new ArrayList<>();
        for (int s = 1; s <= 200; s++) {
            steps.add(new StepRecord(s, 2.3 * Math.exp(-s / 50.0), 100, 5, s * 5.0));
        }
        List<EpochRecord> epochs = List.of(new EpochRecord(1, 100, 0.9, 0.7, Double.NaN, Double.NaN, 0.95, 0.68),
                new EpochRecord(2, 200, 0.5, 0.85, Double.NaN, Double.NaN, 0.6, 0.8));
        long[][] confusion = {{8, 1, 1}, {0, 9, 1}, {2, 0, 8}};
        Map<String, byte[]> images = new LinkedHashMap<>();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        RunCharts.loss(steps, png);
        images.put("loss.png", png.toByteArray());
        png = new ByteArrayOutputStream();
        RunCharts.confusion(confusion, png);
        images.put("confusion.png", png.toByteArray());
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"config\":{\"layer_sizes\":[16,3]},"
                + "\"spark\":{\"version\":\"4.0.1\",\"conf\":{\"spark.master\":\"local[2]\"}}}");
        byte[] digit = new byte[16];
        java.util.Arrays.fill(digit, (byte) 200);
        String html = HtmlReport.render(summary, epochs, steps, confusion, images,
                List.of(new ConfidentErrors.Wrong(3, 1, 2, 0.9, digit)));
        Files.writeString(dir.resolve("report.html"), html);
        // the wrapper looks into the report once it has loaded and writes what it found into its own page
        Files.writeString(dir.resolve("check.html"), "<!DOCTYPE html><html><body><div id=\"result\">pending</div>"
                + "<iframe id=\"r\" src=\"report.html\"></iframe><script>"
                + "window.onerror = function(m) { document.getElementById('result').textContent = 'script error: ' + m; };"
                + "document.getElementById('r').onload = function() {"
                + "  var d = this.contentDocument, imgs = d.images, bad = 0;"
                + "  for (var i = 0; i < imgs.length; i++) { if (!imgs[i].complete || imgs[i].naturalWidth === 0) bad++; }"
                + "  document.getElementById('result').textContent = 'images ' + imgs.length + ' broken ' + bad;"
                + "};</script></body></html>");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                "--virtual-time-budget=10000", "--dump-dom", dir.resolve("check.html").toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the browser ended");
        Matcher m = Pattern.compile("<div id=\"result\">([^<]*)</div>").matcher(dom);
        assertTrue(m.find(), dom);
        assertEquals("images 3 broken 0", m.group(1), "loss chart, confusion chart and one gallery image");
    }
}
