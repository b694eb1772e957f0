package minibatch.distributed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import minibatch.UserError;
import minibatch.cli.Main;
import minibatch.distributed.barrier.StepLink;
import minibatch.distributed.barrier.SumsSender;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import minibatch.testing.TaskFaults;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code spark.minibatch.*} setting: its default, its values in any case, and one error line for a bad one. */
@ExtendWith(LocalSpark.class)
class MinibatchSettingsTest {
    private static final List<String> KEYS = List.of(MinibatchSettings.STEP_TIMEOUT, MinibatchSettings.PARTIAL_SUMS,
            MinibatchSettings.STEP_LINK, MinibatchSettings.TASK_HOOK);

    @TempDir
    Path dir;

    @AfterEach
    void unset(SparkSession spark) {
        KEYS.forEach(spark.conf()::unset);
    }

    @Test
    void unsetSettingsTakeTheirDefaults(SparkSession spark) {
        var conf = spark.conf();
        assertNull(MinibatchSettings.stepTimeoutMillis(conf), "derived from the run");
        assertEquals(120_000, MinibatchSettings.networkTimeoutMillis(conf));
        assertSame(SumsSender.EXECUTOR, MinibatchSettings.partialSums(conf));
        assertSame(StepLink.DIRECT, MinibatchSettings.stepLink(conf));
        assertNull(MinibatchSettings.taskHook(conf), "no hook");
        assertSame(TaskHook.NONE, TaskHook.forTask(null));
    }

    @Test
    void setSettingsAreParsed(SparkSession spark) {
        var conf = spark.conf();
        conf.set(MinibatchSettings.STEP_TIMEOUT, "2min");
        conf.set(MinibatchSettings.PARTIAL_SUMS, " Task");
        conf.set(MinibatchSettings.STEP_LINK, "RPC");
        conf.set(MinibatchSettings.TASK_HOOK, TaskFaults.class.getName());
        assertEquals(120_000L, MinibatchSettings.stepTimeoutMillis(conf));
        assertSame(SumsSender.TASK, MinibatchSettings.partialSums(conf));
        assertSame(StepLink.RPC, MinibatchSettings.stepLink(conf));
        assertEquals(TaskFaults.class.getName(), MinibatchSettings.taskHook(conf));
        assertTrue(TaskHook.forTask(MinibatchSettings.taskHook(conf)) instanceof TaskFaults, "a new instance per task");
    }

    private static final String HOOK_ERROR = "spark.minibatch.taskHook must name a minibatch.distributed.TaskHook class on "
            + "the class path, with a public constructor without arguments (got ";

    /** A hook no task could create. */
    public static final class HookWithArguments implements TaskHook {
        public HookWithArguments(String argument) {
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "spark.minibatch.stepTimeout | soon | spark.minibatch.stepTimeout must be a time such as 30s or 2min (got soon)",
        "spark.minibatch.stepTimeout | 0s | spark.minibatch.stepTimeout must be > 0 (got 0s)",
        "spark.minibatch.partialSums | node | spark.minibatch.partialSums must be executor or task (got node)",
        "spark.minibatch.stepLink | socket | spark.minibatch.stepLink must be direct or rpc (got socket)",
        "spark.minibatch.taskHook | minibatch.NoSuchHook | " + HOOK_ERROR + "minibatch.NoSuchHook)",
        "spark.minibatch.taskHook | java.lang.String | " + HOOK_ERROR + "java.lang.String)",
        // the interface itself, and a hook without a public constructor without arguments, pass no task
        "spark.minibatch.taskHook | minibatch.distributed.TaskHook | " + HOOK_ERROR + "minibatch.distributed.TaskHook)",
        "spark.minibatch.taskHook | minibatch.distributed.MinibatchSettingsTest$HookWithArguments | " + HOOK_ERROR
                + "minibatch.distributed.MinibatchSettingsTest$HookWithArguments)"})
    void aBadValueIsOneUserErrorNamingTheKeyWhatItTakesAndTheValue(String key, String value, String message,
                                                                   SparkSession spark) {
        var conf = spark.conf();
        conf.set(key, value);
        UserError e = assertThrows(UserError.class, () -> {
            MinibatchSettings.stepTimeoutMillis(conf);
            MinibatchSettings.partialSums(conf);
            MinibatchSettings.stepLink(conf);
            MinibatchSettings.taskHook(conf);
        });
        assertEquals(message, e.getMessage());
    }

    @Test
    void aTaskThatCannotCreateItsHookFailsNamingTheSettingAndTheClass() {
        var e = assertThrows(IllegalStateException.class, () -> TaskHook.forTask("minibatch.NoSuchHook"));
        assertTrue(e.getMessage().startsWith("spark.minibatch.taskHook: cannot create minibatch.NoSuchHook in this task: "),
                e.getMessage());
    }

    @Test
    void aTrainRunNamingAHookClassThatDoesNotExistExitsWithOneErrorLine(SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 100, 20, 3);
        Path out = dir.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "train", "--data", data.toString(),
                "--out", out.toString(), "--steps", "3", "--hidden", "4", "--conf",
                MinibatchSettings.TASK_HOOK + "=minibatch.NoSuchHook");
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(Main.USAGE_ERROR, status, String.join("\n", lines));
        assertEquals(List.of("error: " + HOOK_ERROR + "minibatch.NoSuchHook)"), lines.stream().filter(l -> l.startsWith("error: ")).toList());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + String.join("\n", lines));
        assertFalse(Files.exists(out.resolve("summary.json")), "no finished run written");
    }
}
