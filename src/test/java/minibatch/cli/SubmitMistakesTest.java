package minibatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import minibatch.testing.CliArgs;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.SubmitRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user mistakes of {@link UserMistakesTest} and the launcher's own, made through {@code ./submit.sh}
 * as a user makes them: exit status 2, one {@code error:} line (the in-process run's line, where
 * the mistake reaches the application) and no stack trace, also where spark-submit would have
 * refused the mistake before the application starts.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitMistakesTest {
    private static final String NOT_A_MASTER = ": not a Spark master URL (local, local[N], local[*], local[N,F], "
            + "spark://HOST:PORT, yarn, k8s://https://HOST:PORT)";

    @TempDir
    static Path dir;
    SubmitRun.Launcher launcher;
    Path data;

    @BeforeAll
    void prepare() throws IOException {
        launcher = SubmitRun.Launcher.in(dir.resolve("launcher"));
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 40, 8);
    }

    /** A small training run's options, {@code extra} (option, value pairs and flags) replacing or adding options. */
    private List<String> train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(CliArgs.merged(List.of("--data", data.toString(), "--hidden", "4", "--steps", "20",
                "--batch-size", "10", "--progress-seconds", "100"), extra)));
        return args;
    }

    private SubmitRun submit(List<String> args) throws IOException, InterruptedException {
        return launcher.run(dir.resolve("outputs"), args.toArray(String[]::new));
    }

    /** The mistake in-process gives one error line starting {@code prefix}; submit.sh gives the same line. */
    private String sameLineBothWays(String prefix, List<String> args) throws IOException, InterruptedException {
        CliRun inProcess = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, inProcess.status(), inProcess.stderr());
        assertEquals(1, inProcess.stderr().lines().count(), inProcess.stderr());
        assertTrue(inProcess.stderr().startsWith(prefix), inProcess.stderr());
        submit(args).assertOneError(inProcess.stderr());
        return inProcess.stderr();
    }

    @Test
    void aBadMasterIsOneLineAlsoWhereSparkSubmitChecksIt() throws Exception {
        sameLineBothWays("error: --master nonsense" + NOT_A_MASTER, train("--master", "nonsense", "--out", dir.resolve("m").toString()));
        sameLineBothWays("error: --master local[0]" + NOT_A_MASTER, train("--master", "local[0]"));
        sameLineBothWays("error: --conf spark.master=nonsense" + NOT_A_MASTER, train("--conf", "spark.master=nonsense"));
        List<String> joined = new ArrayList<>(train());
        joined.add("--master=mesos://127.0.0.1:5050");
        submit(joined).assertOneError("error: --master mesos://127.0.0.1:5050" + NOT_A_MASTER);
        assertFalse(Files.exists(dir.resolve("m")), "nothing written");
    }

    @Test
    void submitAcceptsEveryMasterFormSparkAccepts() throws Exception {
        // a bad --batch-size is found before Spark starts: the error shows the master reached the application
        for (String master : List.of("local[*,2]", "local-cluster[2,1,1024]", "spark://127.0.0.1:7077")) {
            // a cluster master's address is the user's to choose (submit.sh binds only local masters to loopback)
            launcher.run(dir.resolve("outputs"), Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
                    train("--master", master, "--batch-size", "0").toArray(String[]::new))
                    .assertOneError("error: --batch-size must be > 0 (got 0)");
        }
    }

    @Test
    void aBadDeployModeIsOneLine() throws Exception {
        for (List<String> mode : List.of(List.of("--deploy-mode", "nonsense"), List.of("--conf", "spark.submit.deployMode=nonsense"))) {
            submit(train(mode.toArray(String[]::new)))
                    .assertOneError("error: --deploy-mode must be client or cluster (got nonsense)");
        }
    }

    @Test
    void aBadOptionIsOneLine() throws Exception {
        sameLineBothWays("error: --batch-size must be > 0 (got 0)", train("--batch-size", "0"));
        sameLineBothWays("error: Unknown options: '--learning_rate', '0.05'; did you mean --learning-rate",
                train("--learning_rate", "0.05"));
        sameLineBothWays("error: Invalid value for option '--steps'", train("--steps", "many"));
    }

    /** Paths Hadoop refuses with unchecked exceptions, from wherever the path is first used. */
    @Test
    void aPathHadoopCannotTakeIsOneLine() throws Exception {
        sameLineBothWays("error: c:d: not a path (Relative path in absolute URI; the part before ':' reads as a "
                + "scheme such as hdfs or s3a)", List.of("train", "--data", "c:d"));
        sameLineBothWays("error: the file system org.apache.hadoop.fs.s3a.S3AFileSystem is not on the classpath: add its "
                + "jars (for s3a://, hadoop-aws and the AWS SDK it names) with spark-submit's --packages or --jars",
                List.of("train", "--data", "s3a://bucket/mnist"));
        sameLineBothWays("error: file://alice@" + data + ": its file system does not take this path (expected a path "
                + "of file:///)", List.of("train", "--data", "file://alice@" + data));
        sameLineBothWays("error: y:z: not a path", train("--out", "y:z"));
        sameLineBothWays("error: a:b: not a path", List.of("compare", "a:b", dir.toString()));
    }

    @Test
    void aMissingDataFolderIsOneLine() throws Exception {
        sameLineBothWays("error: --data ", List.of("train", "--data", dir.resolve("no-such-folder").toString()));
    }

    @Test
    void aDataFolderWithoutATestSetIsOneLine() throws Exception {
        Path onlyTrain = Files.createDirectories(dir.resolve("only-train"));
        Files.copy(data.resolve("train-images-idx3-ubyte"), onlyTrain.resolve("train-images-idx3-ubyte"));
        Files.copy(data.resolve("train-labels-idx1-ubyte"), onlyTrain.resolve("train-labels-idx1-ubyte"));
        sameLineBothWays("error: --data file:" + onlyTrain + ": holds no test set", List.of("train", "--data", onlyTrain.toString()));
    }

    @Test
    void aTruncatedIdxFileIsOneLine() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.copy(data.resolve(f), broken.resolve(f));
        }
        byte[] images = Files.readAllBytes(broken.resolve("t10k-images-idx3-ubyte"));
        Files.write(broken.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 10));
        String line = sameLineBothWays("error: ", List.of("train", "--data", broken.toString(), "--out", dir.resolve("b").toString()));
        assertTrue(line.contains("t10k-images-idx3-ubyte"), line);
        assertFalse(Files.exists(dir.resolve("b")), "nothing written");
    }

    @Test
    void aBadRowIsOneLineAndWritesNothing() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("bad-row"));
        String good = "label,p0,p1,p2,p3\n1,0,255,3,4\n0,9,8,7,6\n";
        Files.writeString(csv.resolve("train.csv"), good + "-1,2,3,4,5\n");
        Files.writeString(csv.resolve("test.csv"), good);
        Path out = dir.resolve("bad-row-run");
        String line = sameLineBothWays("error: ", List.of("train", "--data", csv.toString(), "--hidden", "4", "--steps", "2",
                "--batch-size", "2", "--out", out.toString()));
        assertTrue(line.contains("train.csv: column 1 holds -1.0, not a class label"), line);
        assertFalse(Files.exists(out.resolve("summary.json")), "no finished run");
    }

    @Test
    void anOutThatIsNotARunIsOneLineAndStays() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        sameLineBothWays("error: --out " + file + ": is a file, not a run folder", train("--out", file.toString(), "--overwrite"));
        assertEquals("keep me", Files.readString(file));
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(folder.resolve("holiday.jpg"), "not a run");
        sameLineBothWays("error: --out " + folder + ": holds files that are not a run",
                train("--out", folder.toString(), "--overwrite"));
        assertEquals("not a run", Files.readString(folder.resolve("holiday.jpg")));
    }
}
