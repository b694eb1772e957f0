package minibatch.ml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.ReadmeSnippet;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java example, cut out of README.md, compiled with javac and run on CSV files. */
@ExtendWith(LocalSpark.class)
class ReadmeSnippetTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeEstimatorExampleCompilesAndTrains(SparkSession spark) throws Exception {
        Class<?> example = ReadmeSnippet.compile("EstimatorExample.java", dir);
        Path mnist = IdxFixtures.syntheticMnist(dir.resolve("mnist"), 400, 100, 8);
        Path csv = dir.resolve("csv");
        for (String set : List.of("train", "test")) {
            ImageSource source = ImageSources.open(spark, mnist.toString(), "--data", DataFormat.IDX, set, 0, 0,
                    ImageSources.Use.TRAINING);
            TableExport.write(spark, source, 2, DataFormat.CSV, csv.resolve(set + ".csv").toString());
        }
        double accuracy = (double) example.getMethod("run", SparkSession.class, String.class, long.class)
                .invoke(null, spark, csv.toString(), 600L);
        assertTrue(accuracy > 0.7, "test accuracy of the README example: " + accuracy);
        assertTrue(Files.exists(csv.resolve("pipeline-model/stages")), "the example saved its PipelineModel");
    }
}
