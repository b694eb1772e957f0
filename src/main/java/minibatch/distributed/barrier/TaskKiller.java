package minibatch.distributed.barrier;

/** How the {@link StepCoordinator}'s bounded wait acts on a segment's late tasks. */
interface TaskKiller {
    /** Kills a task attempt by Spark's task id. */
    void kill(long taskId, String reason);

    /**
     * Whether the segment's stage cannot run for want of task slots, when a step is late.
     *
     * @param noneReported no late partition's task of this attempt has reported, though the
     *                     stage had a second start bound to start in
     */
    default boolean starved(boolean noneReported) {
        return false;
    }
}
