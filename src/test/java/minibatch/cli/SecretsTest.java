package minibatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.SubmitRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static minibatch.config.SecretRedaction.REDACTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets given with {@code --conf} reach no file of the run folder (summary.json, report.html, the
 * model) and no console line, in-process and through {@code ./submit.sh} (where they reach the
 * session as spark-submit's settings): each storage key, a value carrying a password, a URL's
 * password, the user's own {@code spark.redaction.regex} and {@code spark.redaction.string.regex};
 * and an error line that echoes a malformed {@code --conf} or a bad value does not echo the secret.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsTest {
    /** Each secret setting and the text that must never be shown. */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        SECRETS.put("spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net", "AZURE-KEY-7a1");
        SECRETS.put("spark.hadoop.fs.gs.auth.service.account.private.key", "GCS-PRIVATE-KEY-7a2");
        SECRETS.put("spark.hadoop.fs.gs.auth.service.account.private.key.id", "GCS-KEY-ID-7a3");
        SECRETS.put("spark.hadoop.fs.s3a.encryption.key", "S3A-ENC-KEY-7a4");
        SECRETS.put("spark.hadoop.fs.s3a.server-side-encryption.key", "S3A-SSE-KEY-7a5");
        SECRETS.put("spark.myapp.database", "jdbc:postgresql://db/runs?user=alice&password=JDBC-PW-7a6");
        SECRETS.put("spark.corp.pin", "CORP-PIN-7a7");
    }

    private static final List<String> NEVER_SHOWN = List.of("AZURE-KEY-7a1", "GCS-PRIVATE-KEY-7a2", "GCS-KEY-ID-7a3",
            "S3A-ENC-KEY-7a4", "S3A-SSE-KEY-7a5", "JDBC-PW-7a6", "CORP-PIN-7a7", "URL-PW-7a8", "TICKET-4719");

    @TempDir
    static Path dir;
    Path data;
    SubmitRun.Launcher launcher;

    @BeforeAll
    void prepare() throws IOException {
        data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 40, 5);
        launcher = SubmitRun.Launcher.in(dir.resolve("launcher"));
    }

    /** A small training run with every secret, the user's own patterns and a URL with a password as --conf. */
    private List<String> trainWithSecrets(Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(), "--hidden", "4",
                "--steps", "20", "--batch-size", "20", "--progress-seconds", "100"));
        SECRETS.forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
        args.addAll(List.of("--conf", "spark.redaction.regex=(?i)corp[.]pin",
                "--conf", "spark.redaction.string.regex=TICKET-[0-9]+",
                "--conf", "spark.myapp.mirror=https://alice:URL-PW-7a8@mirror.example.com/x",
                "--conf", "spark.myapp.note=see TICKET-4719"));
        return args;
    }

    private static void assertNothingShown(String where, String text) {
        for (String secret : NEVER_SHOWN) {
            assertFalse(text.contains(secret), where + " shows " + secret + ":\n" + text);
        }
    }

    private static void assertNoFileShowsASecret(Path run) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertTrue(all.stream().anyMatch(f -> f.endsWith("report.html")), "a report was written");
            for (Path f : all) {
                assertNothingShown(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** Each secret redacted, the user's extension applied, and what is no secret kept. */
    private static void assertRedacted(JsonNode conf) {
        SECRETS.keySet().forEach(k -> assertEquals(REDACTED, conf.path(k).asText(), k));
        assertEquals("https://alice:" + REDACTED + "@mirror.example.com/x", conf.path("spark.myapp.mirror").asText());
        assertEquals("see " + REDACTED, conf.path("spark.myapp.note").asText());
    }

    @Test
    void everySecretStaysOutOfTheRunFolderAndTheConsole() throws IOException {
        Path run = dir.resolve("in-process");
        CliRun r = CliRun.of(trainWithSecrets(run).toArray(String[]::new));
        assertEquals(0, r.status(), r.stderr());
        assertNothingShown("stdout", r.stdout());
        assertNothingShown("stderr", r.stderr());
        assertNoFileShowsASecret(run);
        assertRedacted(new ObjectMapper().readTree(run.resolve("summary.json").toFile()).at("/config/spark_conf"));
    }

    @Test
    void everySecretGivenThroughSubmitStaysOutOfTheRunFolderAndTheConsole() throws Exception {
        Path run = dir.resolve("submitted");
        SubmitRun r = launcher.run(dir.resolve("outputs"), trainWithSecrets(run).toArray(String[]::new));
        assertEquals(0, r.status(), r.stderr() + r.stdout());
        assertNothingShown("stdout", r.stdout());
        assertNothingShown("stderr", r.stderr());
        assertNoFileShowsASecret(run);
        // spark-submit hands --conf to the session, not to the command: they are the session's settings here
        assertRedacted(new ObjectMapper().readTree(run.resolve("summary.json").toFile()).at("/spark/conf"));
    }

    /**
     * A secret in the data's path reaches no console line, no file of the finished run and no
     * evaluation (checkpoint.json's settings: {@code TrainingConfigFingerprintTest}).
     */
    @Test
    void aSecretInTheDataPathIsNotShown() throws Exception {
        // a folder named as data lakes name partitions, KEY=VALUE, with a secret key
        String url = IdxFixtures.syntheticMnist(dir.resolve("lake/token=DATA-PW-7a9"), 200, 40, 5).toString();
        Path run = dir.resolve("runs/token=DATA-PW-7a9-run"); // evaluate's --model path holds it too
        CliRun trained = CliRun.of("train", "--data", url, "--out", run.toString(), "--hidden", "4", "--steps", "20",
                "--batch-size", "20", "--progress-seconds", "100");
        assertEquals(0, trained.status(), trained.stderr());
        assertTrue(trained.stdout().contains("token=" + REDACTED), trained.stdout());
        Path evaluation = dir.resolve("data-url-evaluation.json");
        CliRun evaluated = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", url,
                "--out", evaluation.toString());
        assertEquals(0, evaluated.status(), evaluated.stderr());
        for (CliRun r : List.of(trained, evaluated)) {
            assertFalse(r.stdout().contains("DATA-PW-7a9"), r.stdout());
            assertFalse(r.stderr().contains("DATA-PW-7a9"), r.stderr());
        }
        List<Path> written = new ArrayList<>(List.of(evaluation));
        try (Stream<Path> files = Files.walk(run)) {
            files.filter(Files::isRegularFile).forEach(written::add);
        }
        for (Path f : written) {
            assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("DATA-PW-7a9"), f.toString());
        }
    }

    @Test
    void aMalformedConfIsEchoedWithoutItsSecret() throws Exception {
        List<List<String>> mistakes = List.of(
                List.of("--conf", "spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net AZURE-KEY-7a1"),
                List.of("--conf", "spark.hadoop.fs.s3a.secret.key", "S3A-ENC-KEY-7a4"),
                List.of("--conf=spark.hadoop.fs.gs.auth.service.account.private.key:GCS-PRIVATE-KEY-7a2"));
        for (List<String> mistake : mistakes) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data.toString()));
            args.addAll(mistake);
            CliRun inProcess = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, inProcess.status(), inProcess.stderr());
            assertEquals(1, inProcess.stderr().lines().count(), inProcess.stderr());
            assertTrue(inProcess.stderr().startsWith("error: ") && inProcess.stderr().contains(REDACTED), inProcess.stderr());
            assertNothingShown("picocli's echo", inProcess.stderr());
            launcher.run(dir.resolve("outputs"), args.toArray(String[]::new))
                    .assertOneError("error: --conf " + REDACTED + ": expected KEY=VALUE");
        }
    }

    @Test
    void anOptionThatEchoesItsValueDoesNotEchoASecret() throws Exception {
        CliRun unknown = CliRun.of("compare", "--conf", "spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net=AZURE-KEY-7a1",
                dir.toString());
        assertEquals(2, unknown.status(), unknown.stderr());
        assertTrue(unknown.stderr().startsWith("error: Unknown option"), unknown.stderr());
        assertNothingShown("an unknown option's echo", unknown.stderr());
        for (List<String> args : List.of(List.of("train", "--data", data.toString(), "--batch-size", "password=JDBC-PW-7a6"),
                List.of("train", "--data", "nosuch://alice:URL-PW-7a8@example.com/mnist"),
                List.of("train", "--data", "file://alice:URL-PW-7a8@/tmp/mnist"),
                List.of("train", "--data", data.toString(), "--out", "file://alice:URL-PW-7a8@/tmp/run"))) {
            CliRun inProcess = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, inProcess.status(), inProcess.stderr());
            assertEquals(1, inProcess.stderr().lines().count(), inProcess.stderr());
            assertTrue(inProcess.stderr().contains(REDACTED), inProcess.stderr());
            assertNothingShown("an invalid value's echo", inProcess.stderr());
            launcher.run(dir.resolve("outputs"), args.toArray(String[]::new)).assertOneError(inProcess.stderr());
        }
    }
}
