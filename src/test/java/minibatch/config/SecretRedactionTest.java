package minibatch.config;

import java.util.LinkedHashMap;
import java.util.Map;
import minibatch.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static minibatch.config.SecretRedaction.REDACTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spark's redaction rule (key or value found by the pattern hides the value), with storage keys and the user's own patterns added. */
class SecretRedactionTest {
    private static final SecretRedaction BUILT_IN = SecretRedaction.builtIn();

    @ParameterizedTest
    @ValueSource(strings = {
        // Spark's default spark.redaction.regex
        "spark.hadoop.fs.s3a.secret.key", "spark.ssl.keyPassword", "spark.hadoop.fs.s3a.session.token",
        "spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3.awsAccessKeyId", "SPARK.AUTHENTICATE.SECRET",
        // what this job always hid
        "spark.hadoop.dfs.credential.provider",
        // storage keys the default misses
        "spark.hadoop.fs.azure.account.key.myaccount.blob.core.windows.net", "spark.hadoop.fs.azure.account.key",
        "spark.hadoop.fs.azure.sas.container.myaccount.blob.core.windows.net",
        "spark.hadoop.fs.gs.auth.service.account.private.key", "spark.hadoop.fs.gs.auth.service.account.private.key.id",
        "spark.hadoop.fs.s3a.encryption.key", "spark.hadoop.fs.s3a.server-side-encryption.key",
        "spark.hadoop.fs.s3a.bucket.logs.encryption.key"})
    void aSecretKeyHidesItsValue(String key) {
        assertEquals(Map.of(key, REDACTED), BUILT_IN.settings(Map.of(key, "s3cr3t-value")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark.executor.memory", "spark.hadoop.fs.azure.account.keyprovider.myaccount.blob.core.windows.net",
        "spark.hadoop.fs.s3a.endpoint", "spark.master"})
    void anOrdinaryKeyKeepsItsValue(String key) {
        assertEquals(Map.of(key, "plain-value"), BUILT_IN.settings(Map.of(key, "plain-value")));
    }

    @Test
    void aValueThatCarriesAPasswordIsHiddenWhole() {
        String jdbc = "jdbc:postgresql://db.example.com:5432/runs?user=alice&password=hunter2";
        assertEquals(REDACTED, BUILT_IN.value("spark.myapp.database", jdbc));
        assertEquals(REDACTED, BUILT_IN.value("spark.driver.extraJavaOptions", "-Dfoo.secret=hunter2"));
    }

    @Test
    void aUrlKeepsItsShapeAndLosesItsPassword() {
        assertEquals("https://alice:" + REDACTED + "@repo.example.com/maven",
                BUILT_IN.value("spark.jars.repositories", "https://alice:hunter2@repo.example.com/maven"));
        assertEquals("ftp://bob:" + REDACTED + "@10.0.0.7/data/mnist", BUILT_IN.text("ftp://bob:pa55@10.0.0.7/data/mnist"));
        assertEquals("hdfs://namenode:8020/data/mnist", BUILT_IN.text("hdfs://namenode:8020/data/mnist"));
    }

    @Test
    void textHidesTheValuesOfSecretNameValuePairs() {
        assertEquals("error: cannot open jdbc:mysql://h/db?user=alice&password=" + REDACTED + " (refused)",
                BUILT_IN.text("error: cannot open jdbc:mysql://h/db?user=alice&password=hunter2 (refused)"));
        assertEquals("'spark.hadoop.fs.azure.account.key.a.blob.core.windows.net=" + REDACTED + "' is unknown",
                BUILT_IN.text("'spark.hadoop.fs.azure.account.key.a.blob.core.windows.net=AZKEY==' is unknown"));
        assertEquals("--batch-size 0, spark.executor.memory=2g", BUILT_IN.text("--batch-size 0, spark.executor.memory=2g"));
    }

    @Test
    void theUsersRegexAddsToSparksAndNeverReplacesIt() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SecretRedaction.SECRET_SETTING, "(?i)corp[.]pin");
        settings.put("spark.corp.pin", "1234");
        settings.put("spark.hadoop.fs.azure.account.key.a.blob.core.windows.net", "AZKEY");
        settings.put("spark.hadoop.fs.s3a.secret.key", "S3KEY");
        settings.put("spark.executor.memory", "2g");
        Map<String, String> shown = SecretRedaction.of(settings).settings(settings);
        assertEquals(REDACTED, shown.get("spark.corp.pin"), "the user's own pattern");
        assertEquals(REDACTED, shown.get("spark.hadoop.fs.azure.account.key.a.blob.core.windows.net"), "still the storage keys");
        assertEquals(REDACTED, shown.get("spark.hadoop.fs.s3a.secret.key"), "still Spark's default");
        assertEquals("2g", shown.get("spark.executor.memory"));
        assertEquals("1234", BUILT_IN.value("spark.corp.pin", "1234"), "only where the user set it");
    }

    @Test
    void theUsersStringRegexHidesPartsOfText() {
        SecretRedaction r = SecretRedaction.of(Map.of(SecretRedaction.STRING_SETTING, "PIN-[0-9]+"));
        assertEquals("ticket " + REDACTED + " for alice", r.value("spark.myapp.note", "ticket PIN-4711 for alice"));
        assertEquals("ticket " + REDACTED, r.text("ticket PIN-4711"));
    }

    @Test
    void aRegexThatDoesNotCompileIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> SecretRedaction.of(Map.of(SecretRedaction.SECRET_SETTING, "(unclosed")));
        assertEquals("--conf spark.redaction.regex: not a regular expression (Unclosed group)", e.getMessage());
    }

    @Test
    void aCommandLinesConfSecretsAreHiddenWhereverTextQuotesThem() {
        String[] args = {"train", "--conf", "spark.hadoop.fs.azure.account.key.a.blob.core.windows.net=AZKEY",
            "--conf=spark.hadoop.fs.s3a.secret.key S3KEY", "--conf", "spark.hadoop.fs.gs.auth.service.account.private.key",
            "GCSKEY", "--conf", "spark.executor.memory=2g"};
        SecretRedaction r = BUILT_IN.withCommandLine(args);
        assertEquals("echo: " + REDACTED + ", " + REDACTED + ", " + REDACTED + ", 2g",
                r.text("echo: AZKEY, spark.hadoop.fs.s3a.secret.key S3KEY, GCSKEY, 2g"));
    }

    /** A secret-named setting's flag or number is not hidden wherever it appears: console lines keep their words and figures. */
    @Test
    void flagsAndNumbersOfSecretNamedSettingsAreHiddenOnlyAsTheSetting() {
        SecretRedaction r = BUILT_IN.withCommandLine("train", "--conf", "spark.security.credentials.hive.enabled=false",
                "--conf", "spark.security.credentials.renewalRatio=0.75");
        assertEquals("loss 0.7512, overwrite false", r.text("loss 0.7512, overwrite false"));
        assertEquals("spark.security.credentials.renewalRatio=" + REDACTED,
                r.text("spark.security.credentials.renewalRatio=0.75"));
    }
}
