package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance property in miniature, through the command line: copies made by {@code convert}
 * train to the same weights as the IDX original with the same seed and partitioning.
 */
@ExtendWith(LocalSpark.class)
class ConvertCommandTest {
    @TempDir
    Path dir;

    private String sha(Path data, String name) throws IOException {
        Path out = dir.resolve("run-" + name);
        assertEquals(0, Main.execute(System.err, "train", "--data", data.toString(), "--out", out.toString(), "--master",
                "local[2]", "--partitions", "3", "--hidden", "7", "--batch-size", "15", "--learning-rate", "0.5",
                "--steps", "80", "--seed", "11", "--progress-seconds", "100"));
        return RunSummary.weightsSha256(out);
    }

    @Test
    void copiesInEveryFormatTrainToTheSameWeights(SparkSession spark) throws IOException {
        Path idx = IdxFixtures.syntheticMnist(dir.resolve("idx"), 250, 40, 6);
        String original = sha(idx, "idx");
        for (String format : List.of("csv", "parquet", "libsvm")) {
            Path copy = dir.resolve(format);
            assertEquals(0, Main.execute(System.err, "convert", "--data", idx.toString(), "--to", format, "--out",
                    copy.toString(), "--partitions", "2", "--master", "local[2]"));
            assertTrue(Files.exists(copy.resolve("train." + format)) && Files.exists(copy.resolve("test." + format)));
            assertEquals(original, sha(copy, format), format + " copy trains to the IDX run's weights");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int again = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "convert", "--data", idx.toString(),
                "--to", "csv", "--out", dir.resolve("csv").toString(), "--master", "local[2]");
        assertEquals(2, again);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: --out " + dir.resolve("csv") + ": exists"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** What a spreadsheet program writes: a UTF-8 byte-order mark, CRLF line ends, every field quoted. */
    private static Path spreadsheetCsv(Path file, IdxFixtures.ImageSet set) throws IOException {
        int width = set.rows() * set.cols();
        StringBuilder csv = new StringBuilder("\uFEFF\"label\"");
        for (int p = 0; p < width; p++) {
            csv.append(",\"pixel").append(p).append('"');
        }
        csv.append("\r\n");
        for (int r = 0; r < set.labels().length; r++) {
            csv.append('"').append(set.labels()[r] & 0xff).append('"');
            for (int p = 0; p < width; p++) {
                csv.append(",\"").append(set.pixels()[r * width + p] & 0xff).append('"');
            }
            csv.append("\r\n");
        }
        return Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void aSpreadsheetExportTrainsLikeTheSameImagesInIdx(SparkSession spark) throws IOException {
        IdxFixtures.ImageSet all = IdxFixtures.synthetic(290, 8, 8, 4, 6);
        int w = 64;
        var train = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 0, 250 * w),
                java.util.Arrays.copyOfRange(all.labels(), 0, 250));
        var test = new IdxFixtures.ImageSet(8, 8, java.util.Arrays.copyOfRange(all.pixels(), 250 * w, 290 * w),
                java.util.Arrays.copyOfRange(all.labels(), 250, 290));
        Path idx = IdxFixtures.writeMnistLayout(Files.createDirectories(dir.resolve("idx-sheet")), train, test, false);
        Path sheet = Files.createDirectories(dir.resolve("sheet"));
        spreadsheetCsv(sheet.resolve("train.csv"), train);
        spreadsheetCsv(sheet.resolve("test.csv"), test);
        assertTrue(Files.readString(sheet.resolve("train.csv")).startsWith("\uFEFF\"label\",\"pixel0\""));
        assertEquals(sha(idx, "idx-sheet"), sha(sheet, "sheet"), "BOM, CRLF and quotes change nothing");
    }
}
