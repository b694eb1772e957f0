package minibatch.distributed.sampling;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Every step's seeds, drawn on the driver: step t's {@code Dataset.sample} seed and its dropout
 * seed, the t-th draws of two generators split off the run's root generator. Fresh draws, not
 * {@code base + t}: {@code Dataset.sample} seeds partition p with {@code seed + p}, so consecutive
 * seeds would make step t's partition 1 repeat step t+1's partition 0.
 *
 * <p>Steps are asked for in increasing order, possibly a few ahead (resident tasks draw the next
 * batches early); {@link #forget} drops the seeds of steps that are done. Asking for step k first
 * draws and drops steps 1..k-1, which is how a resumed run gets back in sequence.
 */
public final class StepSeeds {
    private final SplittableRandom sampleSeeds;
    private final SplittableRandom dropoutSeeds;
    /** {@code [sample seed, dropout seed]} of steps first, first + 1, ... */
    private final ArrayDeque<long[]> drawn = new ArrayDeque<>();
    private long first = 1;

    /** @param dropoutSeeds null when the run has no dropout (its seeds are then never drawn, and 0) */
    public StepSeeds(SplittableRandom sampleSeeds, SplittableRandom dropoutSeeds) {
        this.sampleSeeds = sampleSeeds;
        this.dropoutSeeds = dropoutSeeds;
    }

    /** The seed {@code Dataset.sample} gets at {@code step} (1-based). */
    public long sample(long step) {
        return at(step)[0];
    }

    /** The dropout seed of {@code step}, 0 without dropout. */
    public long dropout(long step) {
        return at(step)[1];
    }

    /** Drops the seeds of steps before {@code step}: they are not asked for again. */
    public void forget(long step) {
        while (first < step && !drawn.isEmpty()) {
            drawn.removeFirst();
            first++;
        }
    }

    private long[] at(long step) {
        if (step < first) {
            throw new IllegalStateException("the seeds of step " + step + " were already dropped (first kept: " + first + ")");
        }
        while (first + drawn.size() <= step) {
            drawn.addLast(new long[] {sampleSeeds.nextLong(), dropoutSeeds == null ? 0L : dropoutSeeds.nextLong()});
        }
        forget(Math.max(first, step - 64)); // bounded memory even if forget is never called
        int index = (int) (step - first);
        if (index == 0) {
            return drawn.peekFirst();
        }
        int i = 0;
        for (long[] seeds : drawn) {
            if (i++ == index) {
                return seeds;
            }
        }
        throw new AssertionError("unreachable");
    }
}
