package minibatch.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import minibatch.config.SecretRedaction;
import minibatch.data.LabeledImage;
import minibatch.distributed.KryoClasses;
import minibatch.distributed.sums.GradientSums;
import minibatch.testing.LocalSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSessionTest {

    @Test
    void jobDefaultsApplyUnlessTheUserSetThem() {
        SparkConf none = new SparkConf(false);
        Map<String, String> defaults = new TreeMap<>(JobSession.JOB_DEFAULTS);
        defaults.put(KryoClasses.SETTING, KryoClasses.mergedWith(""));
        defaults.put(SecretRedaction.SECRET_SETTING, SecretRedaction.of(Map.of()).secretPattern());
        assertEquals(defaults, JobSession.settings(none, Map.of()));

        Map<String, String> fromConf = JobSession.settings(none,
                Map.of("spark.ui.showConsoleProgress", "true", "spark.executor.memory", "2g"));
        assertEquals("true", fromConf.get("spark.ui.showConsoleProgress"));
        assertEquals("2g", fromConf.get("spark.executor.memory"));
        assertEquals("64m", fromConf.get("spark.task.maxDirectResultSize"));

        SparkConf submitted = new SparkConf(false).set("spark.task.maxDirectResultSize", "8m");
        Map<String, String> fromSubmit = JobSession.settings(submitted, Map.of());
        assertFalse(fromSubmit.containsKey("spark.task.maxDirectResultSize"), "spark-submit's value must stay");
        assertEquals("false", fromSubmit.get("spark.sql.codegen.wholeStage"));
        assertEquals("1m", fromSubmit.get("spark.broadcast.blockSize"));
    }

    @Test
    void theJobsKryoClassesAreAddedToTheUsersOwn() {
        String ours = KryoClasses.mergedWith("");
        assertTrue(ours.contains(GradientSums.class.getName()), ours);
        assertTrue(ours.contains(LabeledImage.class.getName()), ours);

        SparkConf submitted = new SparkConf(false).set(KryoClasses.SETTING, "com.example.A");
        assertEquals("com.example.A," + ours, JobSession.settings(submitted, Map.of()).get(KryoClasses.SETTING));
        // --conf wins over spark-submit; a class listed already is not listed twice
        String fromConf = JobSession.settings(submitted,
                Map.of(KryoClasses.SETTING, "com.example.B, " + GradientSums.class.getName())).get(KryoClasses.SETTING);
        assertEquals("com.example.B, " + ours, fromConf);
    }

    @Test
    void sparksOwnRedactionHidesTheStorageKeysAndTheUsersPatternToo() {
        String ours = JobSession.settings(new SparkConf(false), Map.of()).get(SecretRedaction.SECRET_SETTING);
        Pattern pattern = Pattern.compile(ours);
        assertTrue(pattern.matcher("spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net").find(), ours);
        assertTrue(pattern.matcher("spark.hadoop.fs.s3a.secret.key").find(), ours);
        assertFalse(pattern.matcher("spark.executor.memory").find(), ours);

        SparkConf submitted = new SparkConf(false).set(SecretRedaction.SECRET_SETTING, "(?i)mytoken2");
        Pattern withUsers = Pattern.compile(JobSession.settings(submitted, Map.of()).get(SecretRedaction.SECRET_SETTING));
        assertTrue(withUsers.matcher("spark.hadoop.fs.azure.account.key.acct").find());
        assertTrue(withUsers.matcher("spark.my.MYTOKEN2").find());
    }

    @Test
    @ExtendWith(LocalSpark.class)
    void theSessionCarriesTheDefaults(SparkSession spark) {
        SparkConf conf = spark.sparkContext().getConf();
        JobSession.JOB_DEFAULTS.forEach((k, v) -> assertEquals(v, conf.get(k), k));
    }
}
