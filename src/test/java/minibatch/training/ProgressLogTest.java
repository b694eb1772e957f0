package minibatch.training;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress lines driven by a fake clock: what they say must be true of the run they describe. */
class ProgressLogTest {
    private static final long MS = 1_000_000;

    /** A run of {@code total} steps, evaluations every {@code perEpoch}, driven through a {@link ProgressLog}. */
    private static final class FakeRun {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long[] now = {0};
        final ProgressLog log;
        final long total;
        final long perEpoch;

        FakeRun(long total, long perEpoch, boolean terminal) {
            this.total = total;
            this.perEpoch = perEpoch;
            log = new ProgressLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, total, terminal, () -> now[0]);
        }

        /** Steps of {@code stepMs} each; the first step after the start or an evaluation takes {@code firstMs}. */
        FakeRun run(long firstMs, long stepMs, long evalMs) {
            log.start(perEpoch);
            boolean first = true;
            for (long step = 1; step <= total; step++) {
                now[0] += (first ? firstMs : stepMs) * MS;
                first = false;
                log.step(step, 0.5);
                if (step % perEpoch == 0 || step == total) {
                    now[0] += evalMs * MS;
                    log.evaluation(new EpochRecord((double) step / perEpoch, step, 0.5, 0.9, Double.NaN, Double.NaN, 0.6,
                            0.8), evalMs / 1000.0);
                    first = true;
                }
            }
            log.finish();
            return this;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<String> stepLines() {
            return text().lines().filter(l -> l.startsWith("step ")).toList();
        }
    }

    @Test
    void aLineAtLeastEveryIntervalOfSteppingEvenWhenEpochsAreShorter() {
        // 600 steps of 1 ms per epoch: 0.6 s, less than the 2 s interval; 400 ms evaluations. Each
        // 2 s of stepping (a restart step after each evaluation is not stepping) gives a line.
        FakeRun run = new FakeRun(10_000, 600, false).run(1, 1, 400);
        List<String> lines = run.stepLines();
        assertEquals(List.of("step 2004/10000", "step 4007/10000", "step 6011/10000", "step 8014/10000",
                "step 10000/10000"), lines.stream().map(l -> l.substring(0, l.indexOf("  loss"))).toList(), run.text());
        assertTrue(lines.get(0).contains("1000.0 steps/s"), "steps over stepping time, not since a print: " + lines.get(0));
        assertTrue(lines.get(4).contains("1000.0 steps/s  ETA 0s"), lines.get(4));
    }

    @Test
    void aSlowFirstStepDoesNotMakeTheRateLookSlow() {
        FakeRun run = new FakeRun(10_000, 600, false).run(1_500, 1, 400);
        String first = run.stepLines().get(0);
        assertTrue(first.contains("1000.0 steps/s"), first);
    }

    @Test
    void theEtaIncludesTheEvaluationsStillDue() {
        // at step 2004: 3 evaluations of 400 ms and 4 restart steps of 101 ms so far (0.535 s per
        // evaluation); 7996 steps (8.0 s) and 14 evaluations (7.5 s) still due
        FakeRun run = new FakeRun(10_000, 600, false).run(101, 1, 400);
        String first = run.stepLines().get(0);
        assertTrue(first.startsWith("step 2004/10000") && first.endsWith("ETA 15s"), first);
    }

    @Test
    void onATerminalTheStepLineUpdatesInPlace() {
        FakeRun run = new FakeRun(10_000, 600, true).run(1, 1, 400);
        String text = run.text();
        assertTrue(text.contains("\rstep 2004/10000"), text);
        List<String> lines = List.of(text.split("\n")); // only newlines: String.lines() also splits at \r
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("step ")), "each step line starts with \\r: " + text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch ")), "evaluation lines start on a line of their own");
        assertTrue(text.endsWith("\n"), "finish ends the updating line");
    }

    @Test
    void evaluationsDueCountsEveryMultipleAndTheLastStep() {
        var log = new FakeRun(1000, 300, false).log;
        log.start(300);
        assertEquals(4, log.evaluationsDue(1), "300, 600, 900 and 1000");
        assertEquals(2, log.evaluationsDue(900), "900 (after this step) and 1000");
        assertEquals(1, log.evaluationsDue(901));
        assertEquals(1, log.evaluationsDue(1000));
        var even = new FakeRun(900, 300, false).log;
        even.start(300);
        assertEquals(3, even.evaluationsDue(1));
        assertEquals(1, even.evaluationsDue(900));
    }
}
