package minibatch.training.checkpoint;

import minibatch.UserError;

/**
 * A saved {@link TrainingState} with the settings it was trained with.
 *
 * @param configFingerprint the settings that determine the run's numbers; resume requires equal ones
 */
public record Checkpoint(String configFingerprint, TrainingState state) {
    /**
     * The state to continue a run with settings {@code fingerprint} from.
     *
     * @throws UserError when the checkpoint was written with other settings
     */
    public TrainingState stateFor(String fingerprint) {
        if (!configFingerprint.equals(fingerprint)) {
            throw new UserError("--resume: the checkpoint at step " + state.step() + " was written with other settings ("
                    + configFingerprint + "); this run has (" + fingerprint + ")");
        }
        return state;
    }
}
