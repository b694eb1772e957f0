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

    /**
     * The first line of {@code t}'s message, stripped (its class name when it has no message): how a
     * library's exception becomes part of one error line.
     */
    public static String firstLine(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage().lines().findFirst().orElse("").strip();
    }
}
