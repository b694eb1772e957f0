package minibatch.distributed.barrier;

/** A segment's stage cannot run for want of task slots (a lost Worker, other jobs holding them). */
final class StarvedSegment extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StarvedSegment(String message) {
        super(message);
    }
}
