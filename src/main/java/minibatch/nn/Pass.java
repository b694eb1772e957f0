package minibatch.nn;

import java.util.SplittableRandom;

/**
 * A network's one forward and backward pass over a batch of rows, for training, evaluation and
 * prediction: fill {@link #input()} with rows, then {@link #accumulate} adds their gradient
 * <b>sums</b> (the driver divides once by N) or {@link #forward} gives their probabilities.
 * Buffers are row-major {@code [rows × width]}, made once and reused; one instance per thread.
 */
public interface Pass {
    /** Rows per call at most. */
    int maxRows();

    /** The input buffer, {@code [maxRows × inputs]}: row r at {@code r · inputs}. */
    double[] input();

    /**
     * Forward and backward pass of input rows {@code 0..rows)}: <b>adds</b> their gradients to
     * {@code gradSum} ({@code [parameterCount]}, a running sum) and returns {@code lossSum} plus
     * their losses (1e-7 guard).
     *
     * @param labels  {@code [≥ rows]} class of each row
     * @param dropout probability of dropping a hidden unit of a dense network ({@code --dropout});
     *                a layer stack has its dropout as layers, and takes 0 here
     * @param rng     the dropout masks' generator (unused without dropout)
     */
    double accumulate(double[] params, int[] labels, int rows, double[] gradSum, double lossSum, double dropout,
                      SplittableRandom rng);

    /**
     * Class probabilities of input rows {@code 0..rows)}, no dropout: {@code [rows × classes]}, row r
     * at {@code r · classes}; a view into the pass's buffers, valid until the next call.
     */
    double[] forward(double[] params, int rows);

    /** The output layer's scores before softmax, no dropout: {@code [rows × classes]}, a view valid until the next call. */
    double[] logits(double[] params, int rows);

    /** The first most probable class of row {@code r} of {@link #forward}'s output (the lowest index on ties). */
    int predictedClass(int r);
}
