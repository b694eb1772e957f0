package minibatch.training.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import minibatch.UserError;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint reads back as it was written; the store keeps the last two and skips damaged ones. */
class CheckpointStoreTest {
    @TempDir
    java.nio.file.Path dir;

    private static TrainingState state(long step) {
        EpochRecord epoch = new EpochRecord(1, step, 0.5, 0.75, 0.6, 0.7, Double.NaN, 0.1);
        return new TrainingState(step, new double[] {1.5, -2.25, 3e-9}, List.of(new double[] {0.1, 0.2, 0.3},
                new double[] {4, 5, 6}), step, 1, 0.42, step - 1, 123.5, 45.25,
                List.of(new StepRecord(1, 0.9, 10, 1.5, 2.5), new StepRecord(2, Double.NaN, 0, 1, 3.5)),
                List.of(epoch), epoch, new double[] {7, 8, 9}, 1);
    }

    private CheckpointStore store() {
        return new CheckpointStore(new Path(dir.toUri()), new Configuration());
    }

    @Test
    void everyFieldReadsBackAsWritten() throws IOException {
        TrainingState written = state(3);
        store().write(new Checkpoint("fp", written));
        Checkpoint read = store().latest(System.err);
        TrainingState s = read.state();
        assertEquals("fp", read.configFingerprint());
        assertEquals(3, s.step());
        assertArrayEquals(written.params(), s.params());
        assertEquals(2, s.optimizerState().size());
        assertArrayEquals(written.optimizerState().get(1), s.optimizerState().get(1));
        assertEquals(List.of(3L, 1L, 2L), List.of(s.optimizerUpdates(), s.emptyBatches(), s.lastFiniteStep()));
        assertEquals(List.of(0.42, 123.5, 45.25), List.of(s.lastFiniteLoss(), s.elapsedMillis(), s.evaluationMillis()));
        assertEquals(written.steps(), s.steps());
        assertEquals(written.epochs(), s.epochs());
        assertEquals(written.bestEpoch(), s.bestEpoch());
        assertArrayEquals(written.bestParams(), s.bestParams());
        assertEquals(1, s.sinceBest());
        assertEquals(s, read.stateFor("fp"));
        UserError other = assertThrows(UserError.class, () -> read.stateFor("other"));
        assertTrue(other.getMessage().contains("was written with other settings (fp)"), other.getMessage());
    }

    @Test
    void keepsTheLastTwoAndSkipsADamagedNewestOne() throws IOException {
        for (long step : new long[] {10, 20, 30}) {
            store().write(new Checkpoint("fp", state(step)));
        }
        try (Stream<java.nio.file.Path> folders = Files.list(dir.resolve(CheckpointStore.FOLDER))) {
            assertEquals(List.of("step-000000020", "step-000000030"),
                    folders.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
        Files.delete(dir.resolve("checkpoints/step-000000030/arrays.bin"));
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Checkpoint latest = store().latest(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertEquals(20, latest.state().step());
        assertTrue(warnings.toString(StandardCharsets.UTF_8).startsWith("warning: skipping checkpoint "), warnings.toString());

        Files.delete(dir.resolve("checkpoints/step-000000020/checkpoint.json"));
        assertNull(store().latest(new PrintStream(warnings, true, StandardCharsets.UTF_8)));
        UserError none = assertThrows(UserError.class,
                () -> Checkpointing.of(store(), 0, true, minibatch.training.StopRequest.manual(), System.err));
        assertTrue(none.getMessage().startsWith("--resume: no intact checkpoint in ") && none.getMessage().endsWith("/checkpoints"),
                none.getMessage());
    }

    @Test
    void aNewRunsFirstCheckpointReplacesEarlierOnesWhateverTheirSteps() throws IOException {
        for (long step : new long[] {3300, 3301}) {
            store().write(new Checkpoint("old settings", state(step)));
        }
        CheckpointStore newRun = CheckpointStore.forNewRun(new Path(dir.toUri()), new Configuration());
        assertEquals(3301, store().latest(System.err).state().step(), "nothing removed before the new run's first checkpoint");
        newRun.write(new Checkpoint("new settings", state(221)));
        try (Stream<java.nio.file.Path> folders = Files.list(dir.resolve(CheckpointStore.FOLDER))) {
            assertEquals(List.of("step-000000221"),
                    folders.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
        newRun.write(new Checkpoint("new settings", state(442)));
        newRun.write(new Checkpoint("new settings", state(663)));
        assertEquals("new settings", store().latest(System.err).configFingerprint());
        try (Stream<java.nio.file.Path> folders = Files.list(dir.resolve(CheckpointStore.FOLDER))) {
            assertEquals(List.of("step-000000442", "step-000000663"),
                    folders.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
    }
}
