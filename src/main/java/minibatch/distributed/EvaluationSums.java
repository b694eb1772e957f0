package minibatch.distributed;

import java.io.Serializable;

/** Partial sums of an evaluation pass: summed loss, correctly classified rows, rows seen. */
public final class EvaluationSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private double lossSum;
    private long correct;
    private long count;

    /** Adds one row's loss and whether its prediction was right. */
    public void add(double loss, boolean right) {
        lossSum += loss;
        if (right) {
            correct++;
        }
        count++;
    }

    public EvaluationSums merge(EvaluationSums other) {
        lossSum += other.lossSum;
        correct += other.correct;
        count += other.count;
        return this;
    }

    public double lossSum() {
        return lossSum;
    }

    public long correct() {
        return correct;
    }

    public long count() {
        return count;
    }

    /** Mean loss over the rows (the driver's one division). */
    public double meanLoss() {
        return lossSum / count;
    }

    /** Fraction of rows classified correctly. */
    public double accuracy() {
        return (double) correct / count;
    }
}
