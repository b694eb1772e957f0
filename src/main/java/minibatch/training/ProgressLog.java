package minibatch.training;

import java.io.PrintStream;
import java.util.Locale;

/** Console progress: a line every few seconds while stepping, and one line per evaluation. */
public final class ProgressLog {
    private final PrintStream out;
    private final long intervalNanos;
    private final long totalSteps;
    private long startNanos;
    private long lastPrintNanos;
    private long lastPrintStep;

    public ProgressLog(PrintStream out, double intervalSeconds, long totalSteps) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.totalSteps = totalSteps;
    }

    public void start() {
        startNanos = System.nanoTime();
        lastPrintNanos = startNanos;
    }

    public void resumed(long step) {
        out.printf(Locale.ROOT, "resuming after step %d from its checkpoint%n", step);
        lastPrintStep = step;
    }

    /** Called after every step; prints only when the interval has passed. */
    public void step(long step, double meanLoss) {
        long now = System.nanoTime();
        if (now - lastPrintNanos < intervalNanos && step != totalSteps) {
            return;
        }
        double rate = (step - lastPrintStep) / ((now - lastPrintNanos) / 1e9);
        double remaining = rate > 0 ? (totalSteps - step) / rate : Double.NaN;
        out.printf(Locale.ROOT, "step %d/%d  loss %.4f  %.1f steps/s  ETA %s%n",
                step, totalSteps, meanLoss, rate, duration(remaining));
        lastPrintNanos = now;
        lastPrintStep = step;
    }

    public void evaluation(EpochRecord e, double seconds) {
        String validation = Double.isNaN(e.validationLoss()) ? ""
                : String.format(Locale.ROOT, "  validation loss %.4f acc %.4f", e.validationLoss(), e.validationAccuracy());
        out.printf(Locale.ROOT, "epoch %.2f  step %d  train loss %.4f acc %.4f%s  test loss %.4f acc %.4f  (eval %.1f s)%n",
                e.epoch(), e.step(), e.trainLoss(), e.trainAccuracy(), validation, e.testLoss(), e.testAccuracy(), seconds);
        // evaluation time should not count toward the next steps/s figure
        lastPrintNanos = System.nanoTime();
    }

    public void earlyStop(EpochRecord best) {
        out.printf(Locale.ROOT, "early stopping: no lower validation loss since epoch %.2f (step %d, validation loss %.4f); "
                + "keeping its weights%n", best.epoch(), best.step(), best.validationLoss());
    }

    public void emptyBatch(long step) {
        out.printf(Locale.ROOT, "step %d: the sample held no rows; update skipped%n", step);
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
