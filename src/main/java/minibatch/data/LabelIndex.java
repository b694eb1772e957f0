package minibatch.data;

import java.io.Serializable;
import java.util.Arrays;
import minibatch.UserError;

/**
 * Which labels an image set holds: for each label {@code 0..max}, the canonical index of its
 * first row, or -1 when no row has it. With the class count inferred from the data, this is what
 * tells a gap in the classes, or a test label training never saw, from a well-formed set.
 *
 * @param firstRow {@code [max + 1]}: canonical row index of each label's first row, -1 if absent
 */
public record LabelIndex(long[] firstRow) implements Serializable {
    /** No labels at all (rows without labels, as {@code predict} reads). */
    public static final LabelIndex NONE = new LabelIndex(new long[0]);

    /** The largest label, or -1 when there are none. */
    public int max() {
        return firstRow.length - 1;
    }

    public boolean has(int label) {
        return label >= 0 && label < firstRow.length && firstRow[label] >= 0;
    }

    /** A copy with {@code label} first seen at {@code row}, unless an earlier row has it. */
    public LabelIndex with(int label, long row) {
        long[] f = Arrays.copyOf(firstRow, Math.max(firstRow.length, label + 1));
        Arrays.fill(f, firstRow.length, f.length, -1);
        if (f[label] < 0 || row < f[label]) {
            f[label] = row;
        }
        return new LabelIndex(f);
    }

    /**
     * The classes of a training set whose class count is inferred: every label from 0 to the
     * largest must have rows, and every {@code test} label must occur in training.
     *
     * @return the class count (at least 2)
     * @throws UserError naming the file, the row and the label
     */
    public static int inferClasses(ImageSource train, ImageSource test) {
        LabelIndex t = train.labels();
        for (int label = 0; label < t.max(); label++) {
            if (!t.has(label)) {
                throw new UserError(String.format("%s has label %d, but no row of %s has label %d: the classes have a"
                        + " gap; give --classes N if that is intended", train.rowName(t.firstRow()[t.max()]), t.max(),
                        train.location(), label));
            }
        }
        LabelIndex s = test.labels();
        for (int label = 0; label <= s.max(); label++) {
            if (s.has(label) && !t.has(label)) {
                throw new UserError(String.format("%s has label %d, which no training row in %s has; give --classes N"
                        + " if that is intended", test.rowName(s.firstRow()[label]), label, train.location()));
            }
        }
        return Math.max(2, t.max() + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelIndex other && Arrays.equals(firstRow, other.firstRow);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(firstRow);
    }

    @Override
    public String toString() {
        return "LabelIndex" + Arrays.toString(firstRow);
    }
}
