package minibatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.cli.Main;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench command runs all five entries and writes bench.json; no timing is asserted. */
@ExtendWith(LocalSpark.class)
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryEntryWithRatios(SparkSession spark) throws IOException {
        // more rows than (f)'s batch of 500
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 1200, 50, 2);
        Path out = dir.resolve("bench.json");
        String codegenBefore = spark.conf().get("spark.sql.codegen.wholeStage");
        int status = Main.execute(System.err, "bench", "--data", data.toString(), "--out", out.toString(), "--master",
                "local[2]", "--steps", "30", "--warmup", "5", "--naive-steps", "6", "--mllib-iterations", "3",
                "--replicate", "3", "--target-accuracy", "0.5", "--target-epochs", "2", "--jvm-warmup", "20",
                "--large-steps", "10", "--f98-epochs", "1");
        assertEquals(0, status);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("a", "a3", "b", "c", "c0", "c2", "d", "d1", "e", "f", "f98", "h", "hb")) {
            JsonNode e = json.at("/results/" + key);
            assertFalse(e.isMissingNode(), "entry " + key);
            assertTrue(e.get("median_ms").asDouble() > 0, key + " median");
            assertTrue(e.get("p90_ms").asDouble() >= e.get("median_ms").asDouble(), key + " p90 >= median");
        }
        assertEquals(25, json.at("/results/a/measured").asInt());
        assertEquals(5, json.at("/results/a/warmup_excluded").asInt());
        assertTrue(json.at("/results/e/wall_seconds").asDouble() > 0);
        for (String key : List.of("a", "b", "e")) {
            double acc = json.at("/results/" + key + "/test_accuracy").asDouble(-1);
            assertTrue(acc >= 0 && acc <= 1, key + " accuracy " + acc);
        }
        double ab = json.at("/ratios/a_over_b").asDouble();
        assertEquals(json.at("/results/a/median_ms").asDouble() / json.at("/results/b/median_ms").asDouble(), ab, 1e-12);
        assertTrue(json.at("/ratios/a_over_c").isNumber() && json.at("/ratios/d_over_a").isNumber()
                && json.at("/ratios/d1_over_a").isNumber());
        assertEquals(codegenBefore, spark.conf().get("spark.sql.codegen.wholeStage"), "(d) restores the session's codegen");
        assertEquals("local[2]", json.get("master").asText());
        assertEquals(json.at("/results/a3/median_ms").asDouble() / json.at("/results/a/median_ms").asDouble(),
                json.at("/ratios/a3_over_a").asDouble(), 1e-12);
        assertEquals(json.at("/results/f/wall_seconds").asDouble() / json.at("/results/e/wall_seconds").asDouble(),
                json.at("/ratios/f_wall_over_e_wall").asDouble(), 1e-12);
        assertTrue(json.get("f_reached_target").isBoolean());
        assertTrue(json.get("f98_reached_target").isBoolean());
        assertEquals(json.at("/results/f98/wall_seconds").asDouble() / json.at("/results/e/wall_seconds").asDouble(),
                json.at("/ratios/f98_wall_over_e_wall").asDouble(), 1e-12);
        assertTrue(json.at("/ratios/c2_over_c").isNumber());
        assertTrue(json.at("/ratios/c0_over_c").isNumber());
        // the resident steps, the reference (Dataset.sample every step) and the estimator end alike
        assertTrue(json.get("a_and_a1_same_weights").asBoolean(), json.toString());
        assertTrue(json.get("a_and_g_same_weights").asBoolean(), json.toString());
        assertTrue(json.at("/ratios/g_over_a").isNumber());
        // the large network: its step against its one-thread floor, the kernel against bare dgemm, the driver's share
        assertEquals(json.at("/results/h/median_ms").asDouble() / json.at("/results/hb/median_ms").asDouble(),
                json.at("/ratios/h_over_hb").asDouble(), 1e-12);
        double kernel = json.at("/ratios/kernel_over_dgemm").asDouble();
        assertTrue(kernel > 0 && kernel < 2, "kernel/dgemm " + kernel);
        assertEquals(json.get("kernel_gflops").asDouble() / json.get("dgemm_gflops").asDouble(), kernel, 1e-12);
        assertFalse(json.get("blas").asText().isEmpty());
        double share = json.at("/ratios/h_driver_share").asDouble(-1);
        assertTrue(share > 0 && share < 1, "driver share " + share);
        assertEquals("sparse_rows, dense_gemm, sparse_rows", json.get("h_kernels").asText());
        // the columnar cache holds one binary value per row: a little over one byte per pixel
        assertEquals(1200 * 64, json.get("raw_train_pixel_bytes").asLong());
        double cachedOverRaw = json.get("cached_over_raw").asDouble();
        assertTrue(cachedOverRaw > 1.0 && cachedOverRaw < 3.0, "cached/raw " + cachedOverRaw);
        assertEquals(20, json.get("jvm_warmup_steps").asInt());
        assertTrue(json.get("jvm_warmup_seconds").asDouble() > 0);
        for (String heap : List.of("driver_heap_mb_after_gc_at_start", "driver_heap_mb_after_gc_at_end")) {
            assertTrue(json.get(heap).asDouble() > 0, heap);
        }
        assertFalse(Files.exists(dir.resolve(".bench.json.tmp")));
    }

    @Test
    void badArgumentsAreAUserError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "bench", "--steps", "10", "--warmup", "10");
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: --steps must be > --warmup"), err.toString());
    }
}
