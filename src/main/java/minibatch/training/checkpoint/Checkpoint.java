package minibatch.training.checkpoint;

/**
 * A saved {@link TrainingState} with the settings it was trained with.
 *
 * @param configFingerprint the settings that determine the run's numbers; resume requires equal ones
 */
public record Checkpoint(String configFingerprint, TrainingState state) {
}
