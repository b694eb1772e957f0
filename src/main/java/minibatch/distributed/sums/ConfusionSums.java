package minibatch.distributed.sums;

import java.io.Serializable;

/**
 * Partial evaluation sums of one partition: {@code counts[actual][predicted]} ({@code [classes ×
 * classes]}) and the summed loss. Executors add and merge; the driver derives every metric.
 */
public final class ConfusionSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[][] counts;
    private double lossSum;

    public ConfusionSums(int classes) {
        counts = new long[classes][classes];
    }

    public void add(int actual, int predicted, double loss) {
        counts[actual][predicted]++;
        lossSum += loss;
    }

    public ConfusionSums merge(ConfusionSums other) {
        for (int a = 0; a < counts.length; a++) {
            for (int p = 0; p < counts.length; p++) {
                counts[a][p] += other.counts[a][p];
            }
        }
        lossSum += other.lossSum;
        return this;
    }

    /** {@code [actual][predicted]} row counts; a copy. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int a = 0; a < counts.length; a++) {
            copy[a] = counts[a].clone();
        }
        return copy;
    }

    public double lossSum() {
        return lossSum;
    }
}
