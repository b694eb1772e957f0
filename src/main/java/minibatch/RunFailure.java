package minibatch;

/**
 * A run that failed for a reason outside the user's input, after Spark's retries: a task that
 * stopped answering, an executor lost too often. The CLI prints its message as one
 * {@code error: ...} line on stderr and exits with status 1; the message names the step, the
 * partition and the executor. The cause, when there is one, is in Spark's log.
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message) {
        super(message);
    }

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
