package minibatch.ml;

/**
 * Hands a uid to a Spark ML stage written in Java before its Scala superclass is constructed.
 * Spark's shared params (featuresCol, ...) are created in the superclass constructor and ask for
 * {@code uid()} then; Scala stages set their uid field first, which Java cannot do. A Java stage
 * stashes the uid here in its constructor's {@code this(...)} arguments and takes it in
 * {@code uid()} on first call.
 */
final class PendingUid {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    /** Marks the private constructor that takes the stashed uid. */
    static final PendingUid TOKEN = new PendingUid();

    private PendingUid() {
    }

    static PendingUid stash(String uid) {
        NEXT.set(uid);
        return TOKEN;
    }

    static String take() {
        String uid = NEXT.get();
        NEXT.remove();
        if (uid == null) {
            throw new IllegalStateException("no uid stashed for this stage");
        }
        return uid;
    }
}
