package minibatch.training;

/**
 * Metrics derived from a confusion matrix {@code counts[actual][predicted]}. A class that is never
 * predicted has precision 0; one that never occurs has recall 0 (and both give F1 0), as in
 * scikit-learn's default.
 */
public record ClassificationMetrics(long[][] counts) {

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public double accuracy() {
        long right = 0;
        for (int k = 0; k < counts.length; k++) {
            right += counts[k][k];
        }
        return (double) right / total();
    }

    /** Of the rows predicted as {@code k}, the fraction that are {@code k}. */
    public double precision(int k) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[k];
        }
        return predicted == 0 ? 0 : (double) counts[k][k] / predicted;
    }

    /** Of the rows that are {@code k}, the fraction predicted as {@code k}. */
    public double recall(int k) {
        long actual = 0;
        for (long c : counts[k]) {
            actual += c;
        }
        return actual == 0 ? 0 : (double) counts[k][k] / actual;
    }

    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Rows whose actual class is {@code k}. */
    public long support(int k) {
        long actual = 0;
        for (long c : counts[k]) {
            actual += c;
        }
        return actual;
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (int k = 0; k < counts.length; k++) {
            sum += f1(k);
        }
        return sum / counts.length;
    }
}
