package minibatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import minibatch.testing.DriverJvm;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.RunSummary;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training under {@code spark.serializer=KryoSerializer} with {@code spark.kryo.registrationRequired=true},
 * a common cluster setting: every class the job sends through Spark's serializer must be registered
 * and Kryo-serializable (Spark 4's Kryo cannot write records). Each run needs its own SparkContext,
 * so it runs in a separate driver JVM; the weights must equal those of the Java-serializer run.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KryoSerializerTest {
    @TempDir
    static Path dir;
    static Path idx;
    static Path csv;

    @BeforeAll
    void writeData(SparkSession spark) throws IOException {
        idx = IdxFixtures.syntheticMnist(Files.createDirectories(dir.resolve("idx")), 300, 40, 4);
        csv = dir.resolve("csv");
        for (String set : List.of("train", "test")) {
            ImageSource source = ImageSources.open(spark, idx.toString(), "--data", DataFormat.IDX, set, 0, 0,
                    ImageSources.Use.TRAINING);
            TableExport.write(spark, source, 2, DataFormat.CSV, csv.resolve(set + ".csv").toString());
        }
    }

    private static List<String> train(Path data, Path out, String... conf) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--master", "local[2]", "--hidden", "8", "--classes", "4", "--batch-size", "20", "--steps", "60",
                "--seed", "3", "--partitions", "2"));
        args.addAll(List.of(conf));
        return args;
    }

    @Test
    void strictKryoTrainsIdxAndCsvToTheSameWeights() throws Exception {
        Path javaRun = dir.resolve("java");
        assertEquals(0, Main.execute(System.err, train(idx, javaRun).toArray(String[]::new)));
        for (Path data : List.of(idx, csv)) {
            Path out = dir.resolve("kryo-" + data.getFileName());
            Path log = dir.resolve("kryo-" + data.getFileName() + ".log");
            Process driver = DriverJvm.start(train(data, out,
                    "--conf", "spark.serializer=org.apache.spark.serializer.KryoSerializer",
                    "--conf", "spark.kryo.registrationRequired=true"), log);
            assertTrue(driver.waitFor(180, TimeUnit.SECONDS), "driver did not finish");
            assertEquals(0, driver.exitValue(), Files.readString(log));
            assertEquals(RunSummary.weightsSha256(javaRun), RunSummary.weightsSha256(out), data + " under Kryo");
        }
    }
}
