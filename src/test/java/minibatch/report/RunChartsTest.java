package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The charts are real PNG files of the stated size; the HTML page shows them and escapes text. */
class RunChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static BufferedImage png(byte[] bytes) throws IOException {
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), "PNG signature");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertTrue(image != null, "decodes as an image");
        return image;
    }

    private static List<EpochRecord> epochs() {
        return List.of(new EpochRecord(1, 10, 0.9, 0.7, Double.NaN, Double.NaN, 0.95, 0.68),
                new EpochRecord(2, 20, 0.5, 0.85, Double.NaN, Double.NaN, 0.6, 0.8));
    }

    private static final long[][] CONFUSION = {{8, 1, 1}, {0, 9, 1}, {2, 0, 8}};

    @Test
    void chartsArePngsOfTheStatedSize() throws IOException {
        List<StepRecord> steps = new ArrayList<>();
        for (int s = 1; s <= 500; s++) {
            steps.add(new StepRecord(s, s == 7 ? Double.NaN : 2.3 * Math.exp(-s / 100.0) + 0.1 * Math.sin(s), 100, 10, s * 10));
        }
        ByteArrayOutputStream loss = new ByteArrayOutputStream();
        RunCharts.loss(steps, loss);
        BufferedImage l = png(loss.toByteArray());
        assertEquals(RunCharts.WIDTH, l.getWidth());
        assertEquals(RunCharts.HEIGHT, l.getHeight());

        ByteArrayOutputStream accuracy = new ByteArrayOutputStream();
        RunCharts.accuracy(epochs(), accuracy);
        BufferedImage a = png(accuracy.toByteArray());
        assertEquals(RunCharts.WIDTH, a.getWidth());
        assertEquals(RunCharts.HEIGHT, a.getHeight());

        ByteArrayOutputStream confusion = new ByteArrayOutputStream();
        RunCharts.confusion(CONFUSION, confusion);
        BufferedImage c = png(confusion.toByteArray());
        assertEquals(RunCharts.CONFUSION_SIZE, c.getWidth());
        assertEquals(RunCharts.CONFUSION_SIZE, c.getHeight());
        long colours = Arrays.stream(c.getRGB(0, 0, c.getWidth(), c.getHeight(), null, 0, c.getWidth())).distinct().count();
        assertTrue(colours > 20, "a drawn heat map, not a blank image: " + colours + " colours");
    }

    @Test
    void theLearningRateChartIsDrawn() throws IOException {
        List<StepRecord> steps = new ArrayList<>();
        for (int s = 1; s <= 100; s++) {
            steps.add(new StepRecord(s, 1.0, 100, 10, s * 10));
        }
        ByteArrayOutputStream lr = new ByteArrayOutputStream();
        RunCharts.learningRate(steps, step -> 0.1 * Math.pow(0.5, step / 25), lr);
        BufferedImage image = png(lr.toByteArray());
        assertEquals(RunCharts.WIDTH, image.getWidth());
        assertEquals(RunCharts.HEIGHT / 2, image.getHeight());
    }

    @Test
    void theReportIsSelfContainedWithTheConfigurationAndEveryEpochsLosses() throws IOException {
        JsonNode summary = new ObjectMapper().readTree("{\"final_test_accuracy\":0.8,\"final_train_accuracy\":0.85,"
                + "\"final_validation_accuracy\":0.82,\"steps\":20,\"wall_seconds\":1.5,\"median_ms_per_step\":10.2,"
                + "\"weights_sha256\":\"abc\",\"sampler\":\"barrier\",\"partitions\":2,"
                + "\"config\":{\"data\":\"<data>&co\",\"layer_sizes\":[4,3,3],\"activation\":\"sigmoid\","
                + "\"optimizer\":{\"name\":\"adam\",\"beta1\":0.9,\"beta2\":0.999},\"learning_rate\":0.01,"
                + "\"lr_schedule\":{\"name\":\"cosine\",\"min_rate\":0.0,\"warmup_steps\":5},\"batch_size\":100,\"seed\":7},"
                + "\"spark\":{\"version\":\"4.0.1\",\"conf\":{\"spark.master\":\"local[2]\"}}}");
        List<EpochRecord> epochs = List.of(new EpochRecord(1, 10, 0.9, 0.7, 0.92, 0.69, 0.95, 0.68),
                new EpochRecord(2, 20, 0.5, 0.85, 0.55, 0.83, 0.6, 0.8));
        List<StepRecord> steps = new ArrayList<>();
        for (int s = 1; s <= 20; s++) {
            steps.add(new StepRecord(s, 1.0, 100, 10, s * 150.0));
        }
        ByteArrayOutputStream confusion = new ByteArrayOutputStream();
        RunCharts.confusion(CONFUSION, confusion);
        String html = HtmlReport.render(summary, epochs, steps, CONFUSION, java.util.Map.of("confusion.png",
                confusion.toByteArray()), List.of(new ConfidentErrors.Wrong(17, 3, 5, 0.987, new byte[16]),
                new ConfidentErrors.Wrong(4, 1, 0, 0.9, new byte[16])));
        assertTrue(html.contains("row 17<br>true 3, predicted 5<br>p = 0.987"), "the gallery names each mistake");
        assertEquals(2, html.split("<figure>", -1).length - 1, "one figure per mistake");
        var inlined = java.util.regex.Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(inlined.find(), "the chart is inlined");
        png(java.util.Base64.getDecoder().decode(inlined.group(1)));
        assertTrue(!html.replaceAll("src=\"data:[^\"]*\"", "").contains("src=") && !html.contains("href="),
                "nothing fetched from elsewhere");
        assertTrue(html.contains("&lt;data&gt;&amp;co"), "text is escaped");
        assertTrue(html.contains("4-3-3, sigmoid"));
        assertTrue(html.contains("adam (beta1 0.9, beta2 0.999)"), "the optimizer and its settings");
        assertTrue(html.contains("0.01, schedule cosine (min rate 0.0, warmup steps 5)"), "the schedule");
        assertTrue(html.contains("barrier on 2 partitions") && html.contains("4.0.1, master local[2]"));
        assertTrue(html.contains("<th>validation loss</th>"), "validation columns when a set was held out");
        assertTrue(html.contains("<td>0.9200</td><td>0.6900</td><td>0.9500</td><td>0.6800</td><td>1.5</td>"),
                "epoch 1: validation and test loss and accuracy, 1.5 s");
        assertTrue(html.contains("<td>0.8000</td><td>0.8000</td>"), "class 0: precision 8/10, recall 8/10");
        assertTrue(!html.contains("<script"), "no scripts");
    }
}
