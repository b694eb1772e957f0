package minibatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import minibatch.testing.CliRun;
import minibatch.testing.EncodedImages;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.ReadmeSnippet;
import minibatch.testing.RunSummary;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same images as IDX, as image folders ({@code train/<class>/*.png}) and as a data hub's Parquet
 * files train to the same weights when their rows come in the same order; the folders' and the
 * metadata's class names are saved with the model and shown by predict, evaluate, the report and the
 * ONNX file; broken input is one error line.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncodedImagesTest {
    private static final List<String> CLASSES = List.of("ant", "bee", "cat", "dog");

    @TempDir
    static Path dir;
    Path idx;
    Path folders;
    Path hub;
    IdxFixtures.ImageSet test;

    @BeforeAll
    void writeData() throws Exception {
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(260, 8, 8, 4, 11);
        int w = 64;
        IdxFixtures.ImageSet train = EncodedImages.sortedByLabel(new IdxFixtures.ImageSet(8, 8,
                java.util.Arrays.copyOfRange(all.pixels(), 0, 200 * w), java.util.Arrays.copyOfRange(all.labels(), 0, 200)));
        test = EncodedImages.sortedByLabel(new IdxFixtures.ImageSet(8, 8,
                java.util.Arrays.copyOfRange(all.pixels(), 200 * w, 260 * w), java.util.Arrays.copyOfRange(all.labels(), 200, 260)));
        idx = IdxFixtures.writeMnistLayout(dir.resolve("idx"), train, test, false);
        folders = dir.resolve("folders");
        EncodedImages.writeFolders(folders, "train", train, CLASSES);
        EncodedImages.writeFolders(folders, "test", test, CLASSES);
        hub = dir.resolve("hub");
        EncodedImages.writeHubParquet(hub.resolve("data/train-00000-of-00001.parquet"), train, List.of("0", "1", "2", "3"));
        EncodedImages.writeHubParquet(hub.resolve("data/test-00000-of-00001.parquet"), test, List.of("0", "1", "2", "3"));
    }

    private static Path train(Path data, String name, String... extra) {
        Path run = dir.resolve("runs").resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", run.toString(), "--hidden", "12",
                "--steps", "80", "--batch-size", "20", "--partitions", "2", "--progress-seconds", "100"));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.stderr());
        return run;
    }

    private static JsonNode summary(Path run) throws Exception {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void theSameImagesInEveryFormatTrainTheSameWeights() throws Exception {
        String fromIdx = RunSummary.weightsSha256(train(idx, "idx"));
        Path fromFolders = train(folders, "folders");
        Path fromHub = train(hub, "hub");
        assertEquals(fromIdx, RunSummary.weightsSha256(fromFolders), "image folders");
        assertEquals(fromIdx, RunSummary.weightsSha256(fromHub), "hub Parquet");
        assertEquals(CLASSES.toString(), summary(fromFolders).path("class_names").toString().replace("\"", "").replace(",", ", "));
        assertEquals("[\"0\",\"1\",\"2\",\"3\"]", summary(fromHub).path("class_names").toString());
        assertTrue(summary(dir.resolve("runs/idx")).path("class_names").isMissingNode(), "IDX names no classes");
        assertEquals(fromIdx, RunSummary.weightsSha256(train(folders, "folders-forced", "--format", "folders")));
    }

    @Test
    void classNamesReachPredictEvaluateTheReportAndOnnx(SparkSession spark) throws Exception {
        Path run = train(folders, "named");
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("<td class=\"k\">ant</td>") && report.contains("<td class=\"k\">dog</td>"), "per-class names");
        Path predictions = dir.resolve("named-predictions");
        assertEquals(0, CliRun.of("predict", "--model", run.toString(), "--data", folders.toString(), "--output",
                predictions.toString()).status());
        List<Row> rows = spark.read().parquet(predictions.toString()).orderBy("index").collectAsList();
        assertEquals(test.count(), rows.size());
        for (Row row : rows) {
            assertEquals(CLASSES.get(row.<Integer>getAs("prediction")), row.getAs("prediction_name"));
            assertEquals(CLASSES.get(row.<Integer>getAs("label")), row.getAs("label_name"));
        }
        CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--data", folders.toString());
        assertEquals(0, evaluate.status(), evaluate.stderr());
        assertTrue(evaluate.stdout().contains("  cat\n") || evaluate.stdout().contains("  cat" + System.lineSeparator()),
                evaluate.stdout());
        JsonNode json = new ObjectMapper().readTree(run.resolve("evaluation-test.json").toFile());
        assertEquals("bee", json.path("classes").get(1).path("name").asText());
        assertEquals(0, CliRun.of("export", "--model", run.toString()).status());
        var onnx = minibatch.model.onnx.OnnxIr.ModelProto.parseFrom(Files.readAllBytes(run.resolve("model.onnx")));
        assertTrue(onnx.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals("class_names")
                && e.getValue().equals("[\"ant\",\"bee\",\"cat\",\"dog\"]")), onnx.getMetadataPropsList().toString());
        // the model's names must be the data's
        Path renamed = dir.resolve("renamed");
        EncodedImages.writeFolders(renamed, "test", test, List.of("a", "b", "c", "d"));
        CliRun.of("evaluate", "--model", run.toString(), "--data", renamed.toString())
                .assertOneError("error: --data " + renamed + ": its classes are [a, b, c, d], the model's are [ant, bee, cat, dog]");
    }

    /** Colour image folders and colour hub Parquet feed a convolution of three input channels, with the same weights. */
    @Test
    void colourImagesFeedAThreeChannelConvolution() throws Exception {
        IdxFixtures.ImageSet train = EncodedImages.sortedByLabel(IdxFixtures.synthetic(160, 8, 8, 4, 17));
        Path folders = dir.resolve("colour-cnn");
        EncodedImages.writeFolders(folders, "train", train, CLASSES, true);
        EncodedImages.writeFolders(folders, "test", test, CLASSES, true);
        Path parquet = dir.resolve("colour-hub");
        EncodedImages.writeHubParquet(parquet.resolve("data/train-00000-of-00001.parquet"), train, CLASSES, true);
        EncodedImages.writeHubParquet(parquet.resolve("data/test-00000-of-00001.parquet"), test, CLASSES, true);
        List<String> weights = new java.util.ArrayList<>();
        for (Path data : List.of(folders, parquet)) {
            Path run = dir.resolve("runs").resolve(data.getFileName() + "-run");
            CliRun r = CliRun.of("train", "--data", data.toString(), "--out", run.toString(), "--channels", "3",
                    "--layers", "conv3x3x4,relu,maxpool2", "--init", "he", "--steps", "40", "--batch-size", "20",
                    "--progress-seconds", "100");
            assertEquals(0, r.status(), r.stderr());
            assertTrue(r.stdout().contains("network 8x8x3 conv3x3x4 relu maxpool2 dense4 softmax"), r.stdout());
            JsonNode model = new ObjectMapper().readTree(run.resolve("model/data/model.json").toFile());
            assertEquals("[8,8,3]", model.path("input_shape").toString());
            CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--data", data.toString());
            assertEquals(0, evaluate.status(), evaluate.stderr());
            weights.add(RunSummary.weightsSha256(run));
        }
        assertEquals(weights.get(0), weights.get(1), "the same images from folders and from Parquet");
    }

    @Test
    void colourImagesTrainOnThreeChannels(SparkSession spark) throws Exception {
        Path colour = dir.resolve("colour");
        IdxFixtures.ImageSet train = EncodedImages.sortedByLabel(IdxFixtures.synthetic(160, 8, 8, 4, 17));
        EncodedImages.writeFolders(colour, "train", train, CLASSES, true);
        EncodedImages.writeFolders(colour, "test", test, CLASSES, true);
        Path run = dir.resolve("runs").resolve("colour");
        CliRun r = CliRun.of("train", "--data", colour.toString(), "--out", run.toString(), "--channels", "3", "--hidden", "12",
                "--steps", "60", "--batch-size", "20", "--progress-seconds", "100");
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("images of 8x8x3 (R, G, B) from") && r.stdout().contains("network [192, 12, 4]"),
                r.stdout());
        assertEquals(3, summary(run).path("input_channels").asInt());
        // evaluate and predict take the channels from the model
        CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--data", colour.toString());
        assertEquals(0, evaluate.status(), evaluate.stderr());
        Path predictions = dir.resolve("colour-predictions");
        assertEquals(0, CliRun.of("predict", "--model", run.toString(), "--data", colour.toString(), "--output",
                predictions.toString()).status());
        List<Row> rows = spark.read().parquet(predictions.toString()).orderBy("index").collectAsList();
        // ONNX: features are R, G, B per pixel, raw 0..255
        assertEquals(0, CliRun.of("export", "--model", run.toString()).status());
        float[][] features = new float[test.count()][192];
        for (int i = 0; i < test.count(); i++) {
            byte[] gray = test.image(i);
            for (int p = 0; p < 64; p++) {
                int c = EncodedImages.colourOf(gray[p] & 0xff);
                features[i][3 * p] = (c >> 16) & 0xff;
                features[i][3 * p + 1] = (c >> 8) & 0xff;
                features[i][3 * p + 2] = c & 0xff;
            }
        }
        long[] labels = (long[]) ReadmeSnippet.compile("ServeOnnx.java", dir.resolve("colour-snippet"))
                .getMethod("classify", String.class, float[][].class).invoke(null, run.resolve("model.onnx").toString(), features);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).<Integer>getAs("prediction").longValue(), labels[i], "row " + i);
        }
        // data with one value per pixel cannot give three
        CliRun.of("train", "--data", idx.toString(), "--out", dir.resolve("runs/idx3").toString(), "--channels", "3")
                .assertOneError("error: --channels 3: --data file:" + idx + " holds idx data, one gray value per pixel; "
                        + "colour channels come from image folders or hub Parquet files");
        CliRun.of("train", "--data", colour.toString(), "--out", dir.resolve("runs/c2").toString(), "--channels", "2")
                .assertOneError("error: --channels must be 1 (gray) or 3 (R, G, B) (got 2)");
    }

    @Test
    void brokenImageSetsAreOneErrorLine() throws Exception {
        // an unreadable image
        Path corrupt = copyFolders("corrupt");
        Path bad = corrupt.resolve("train/bee").resolve(Files.list(corrupt.resolve("train/bee")).sorted().findFirst().orElseThrow()
                .getFileName());
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertOneTrainError(corrupt, "error: " + bad.toUri() + ": the file is not a readable image "
                + "(ImageIO cannot decode it as PNG, JPEG, BMP or GIF)");
        // mixed sizes: the first file that differs is named
        Path mixed = copyFolders("mixed");
        IdxFixtures.ImageSet big = IdxFixtures.synthetic(1, 9, 9, 1, 3);
        Path odd = mixed.resolve("train/cat/99999.png");
        Files.write(odd, EncodedImages.encode(big, 0, "png"));
        CliRun r = trainOn(mixed);
        assertEquals(2, r.status(), r.stderr());
        assertTrue(r.stderr().startsWith("error: " + odd.toUri()
                + ": holds images of 81 pixels, but "), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        // an empty class folder
        Path empty = copyFolders("empty");
        Files.createDirectories(empty.resolve("train/eel"));
        assertOneTrainError(empty, "error: file:" + empty.resolve("train/eel") + ": holds no images (.png or .jpg); every "
                + "class folder needs one");
        // a label column of strings
        Path strings = dir.resolve("strings");
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.active();
        spark.read().parquet(hub.resolve("data/train-00000-of-00001.parquet").toString())
                .withColumn("label", org.apache.spark.sql.functions.col("label").cast("string"))
                .coalesce(1).write().parquet(strings.resolve("tmp").toString());
        Path part = Files.list(strings.resolve("tmp")).filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
                .orElseThrow();
        Files.move(part, strings.resolve("train-00000-of-00001.parquet"));
        Files.copy(hub.resolve("data/test-00000-of-00001.parquet"), strings.resolve("test-00000-of-00001.parquet"));
        assertOneTrainError(strings, "error: file:" + strings.resolve("train-00000-of-00001.parquet") + ": the 'label' column "
                + "holds string values; integer class labels are needed (class names go in the metadata)");
        // an unreadable image in a hub file: the file and the row are named
        Path unreadable = dir.resolve("unreadable");
        spark.read().parquet(hub.resolve("data/train-00000-of-00001.parquet").toString())
                .withColumn("image", org.apache.spark.sql.functions.expr(
                        "CASE WHEN image.path = '7.png' THEN named_struct('bytes', X'89504E47', 'path', image.path) ELSE image END"))
                .coalesce(1).write().parquet(unreadable.resolve("tmp").toString());
        Path unreadablePart = Files.list(unreadable.resolve("tmp")).filter(p -> p.getFileName().toString().startsWith("part-"))
                .findFirst().orElseThrow();
        Files.move(unreadablePart, unreadable.resolve("train-00000-of-00001.parquet"));
        Files.copy(hub.resolve("data/test-00000-of-00001.parquet"), unreadable.resolve("test-00000-of-00001.parquet"));
        CliRun u = trainOn(unreadable);
        assertEquals(2, u.status(), u.stderr());
        assertEquals(1, u.stderr().lines().count(), u.stderr());
        assertTrue(u.stderr().startsWith("error: " + unreadable.resolve("train-00000-of-00001.parquet").toUri())
                && u.stderr().endsWith("image.bytes is not a readable image (ImageIO cannot decode it as PNG, JPEG, BMP or GIF)"), u.stderr());
    }

    private Path copyFolders(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (var files = Files.walk(folders)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(folders.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    private static CliRun trainOn(Path data) {
        return CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("runs/failed").toString(), "--hidden", "4",
                "--steps", "5", "--batch-size", "10", "--progress-seconds", "100");
    }

    private static void assertOneTrainError(Path data, String expected) {
        trainOn(data).assertOneError(expected);
        assertTrue(!Files.exists(dir.resolve("runs/failed")), "nothing written");
    }
}
