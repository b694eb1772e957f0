package minibatch.bench;

import java.util.Arrays;

/** Per-step wall times of one benchmark entry; statistics skip the first {@code warmup} steps. */
public record Timings(double[] millis, int warmup) {
    private double[] measured() {
        double[] m = Arrays.copyOfRange(millis, Math.min(warmup, millis.length), millis.length);
        Arrays.sort(m);
        return m;
    }

    public double median() {
        return percentile(0.5);
    }

    public double p90() {
        return percentile(0.9);
    }

    /** Nearest-rank percentile of the measured (post-warm-up) steps; NaN if there are none. */
    double percentile(double q) {
        double[] m = measured();
        if (m.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * m.length);
        return m[Math.max(0, Math.min(m.length - 1, rank - 1))];
    }

    public int measuredSteps() {
        return Math.max(0, millis.length - warmup);
    }
}
