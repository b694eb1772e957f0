package minibatch.training;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console progress: a line at least every {@code intervalSeconds} of stepping, whatever the
 * epoch length, and one line per evaluation. On a terminal the step line updates in place
 * (carriage return); otherwise each is a line of its own. Every line also goes to the logger
 * {@code minibatch.progress} at INFO, which is how Spark ML users see progress in their logs.
 *
 * <p>Steps/s is measured over the last 10 s of stepping: evaluations, and the first step after the
 * start or an evaluation (a segment's start-up), are not stepping time. The ETA adds the expected
 * time of the evaluations still due (the mean of those so far, with their start-up steps).
 */
public final class ProgressLog {
    private static final Logger LOG = LoggerFactory.getLogger("minibatch.progress");
    private static final long WINDOW_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final long intervalNanos;
    private final long totalSteps;
    private final boolean terminal;
    private final LongSupplier clock;
    /** {@code (step, stepping nanos)} samples of the recent window, oldest first. */
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private long perEvaluation = Long.MAX_VALUE;
    private long lastClock;
    private long steppingNanos;
    private long lastPrintStepping;
    private boolean restarting = true;
    private double overheadSeconds;
    private int evaluations;
    private int shownLength;
    private double lastRate = Double.NaN;

    /** Plain lines on {@code out}, timed by the system clock. */
    public ProgressLog(PrintStream out, double intervalSeconds, long totalSteps) {
        this(out, intervalSeconds, totalSteps, out == System.out && System.console() != null, System::nanoTime);
    }

    /**
     * @param terminal whether {@code out} is a terminal (one updating step line)
     * @param clock    nanoseconds, as {@link System#nanoTime}
     */
    ProgressLog(PrintStream out, double intervalSeconds, long totalSteps, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.totalSteps = totalSteps;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Stepping starts; an evaluation follows every {@code stepsPerEvaluation} steps and after the last. */
    public void start(long stepsPerEvaluation) {
        perEvaluation = Math.max(1, stepsPerEvaluation);
        lastClock = clock.getAsLong(); // the first step restarts the window
    }

    public void resumed(long step) {
        line(String.format(Locale.ROOT, "resuming after step %d from its checkpoint", step));
    }

    /** Called after every step; prints only when the interval of stepping has passed. */
    public void step(long step, double meanLoss) {
        long now = clock.getAsLong();
        long took = now - lastClock;
        lastClock = now;
        if (restarting) {
            // a segment's first step starts tasks and reads partitions: counted with the evaluations
            restarting = false;
            overheadSeconds += took / 1e9;
            window.clear();
            window.add(new long[] {step, steppingNanos});
        } else {
            steppingNanos += took;
            window.add(new long[] {step, steppingNanos});
            while (window.size() > 2 && steppingNanos - window.peekFirst()[1] > WINDOW_NANOS) {
                window.removeFirst();
            }
        }
        if (steppingNanos - lastPrintStepping < intervalNanos && step != totalSteps) {
            return;
        }
        lastPrintStepping = steppingNanos;
        long[] base = window.peekFirst();
        double seconds = (steppingNanos - base[1]) / 1e9;
        // right after a segment's start the window is empty: the rate before it still holds
        double rate = seconds > 0 ? (step - base[0]) / seconds : lastRate;
        lastRate = rate;
        double eta = rate > 0 ? (totalSteps - step) / rate + evaluationsDue(step) * meanOverhead() : Double.NaN;
        String text = String.format(Locale.ROOT, "step %d/%d  loss %.4f  %s steps/s  ETA %s", step, totalSteps, meanLoss,
                Double.isFinite(rate) ? String.format(Locale.ROOT, "%.1f", rate) : "?", duration(eta));
        LOG.info(text);
        if (terminal) {
            out.print("\r" + text + " ".repeat(Math.max(0, shownLength - text.length())));
            out.flush();
            shownLength = text.length();
        } else {
            out.println(text);
        }
    }

    /** Evaluations at or after {@code step}: every multiple of the epoch length, and the last step. */
    long evaluationsDue(long step) {
        long multiples = Math.max(0, totalSteps / perEvaluation - (step + perEvaluation - 1) / perEvaluation + 1);
        return multiples + (totalSteps % perEvaluation != 0 ? 1 : 0);
    }

    private double meanOverhead() {
        return evaluations == 0 ? 0 : overheadSeconds / evaluations;
    }

    public void evaluation(EpochRecord e, double seconds) {
        String validation = Double.isNaN(e.validationLoss()) ? ""
                : String.format(Locale.ROOT, "  validation loss %.4f acc %.4f", e.validationLoss(), e.validationAccuracy());
        line(String.format(Locale.ROOT, "epoch %.2f  step %d  train loss %.4f acc %.4f%s  test loss %.4f acc %.4f  (eval %.1f s)",
                e.epoch(), e.step(), e.trainLoss(), e.trainAccuracy(), validation, e.testLoss(), e.testAccuracy(), seconds));
        overheadSeconds += seconds;
        evaluations++;
        // evaluation time is not stepping time, and the next step starts a segment
        lastClock = clock.getAsLong();
        restarting = true;
    }

    public void earlyStop(EpochRecord best) {
        line(String.format(Locale.ROOT, "early stopping: no lower validation loss since epoch %.2f (step %d, validation "
                + "loss %.4f); keeping its weights", best.epoch(), best.step(), best.validationLoss()));
    }

    public void emptyBatch(long step) {
        line(String.format(Locale.ROOT, "step %d: the sample held no rows; update skipped", step));
    }

    /** A line about how the run goes on (the steps falling back to one job per step). */
    public void notice(String text) {
        line(text);
    }

    /** Ends an updating step line, so that what is printed next starts on a line of its own. */
    public void finish() {
        if (shownLength > 0) {
            out.println();
            shownLength = 0;
        }
    }

    private void line(String text) {
        finish();
        out.println(text);
        LOG.info(text);
    }

    /** "1h02m03s", "4m05s" or "12s". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
