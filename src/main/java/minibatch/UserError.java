package minibatch;

/**
 * A mistake in the user's input (an option, a file, a path). The CLI prints its message as one
 * {@code error: ...} line on stderr and exits with status 2, without a stack trace. The message
 * names the file or option and says what is wrong.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
