package minibatch.training.checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import minibatch.UserError;
import minibatch.training.StopRequest;

/**
 * Where and how often the training loop checkpoints, the checkpoint it continues from, and the
 * request that stops it early (after which it checkpoints once more).
 *
 * @param store      null for no checkpoints
 * @param every      steps between checkpoints (0 = never)
 * @param resumeFrom null to start from step 1
 * @param stop       checked once per step
 */
public record Checkpointing(CheckpointStore store, long every, Checkpoint resumeFrom, StopRequest stop) {
    /** No checkpoints, no resume, no stop unless requested in process. */
    public static final Checkpointing NONE = new Checkpointing(null, 0, null, StopRequest.manual());

    /**
     * Checkpoints to {@code store} every {@code every} steps; with {@code resume}, continues from its
     * newest intact checkpoint (damaged ones are skipped with a warning on {@code warnings}).
     *
     * @throws UserError when resuming and no checkpoint reads back intact, or the newest is of an older format
     */
    public static Checkpointing of(CheckpointStore store, long every, boolean resume, StopRequest stop,
                                   PrintStream warnings) throws IOException {
        Checkpoint from = null;
        if (resume) {
            from = store.latest(warnings);
            if (from == null) {
                throw new UserError("--resume: no intact checkpoint in " + store.folder());
            }
        }
        return new Checkpointing(store, every, from, stop);
    }
}
