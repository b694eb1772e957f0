package minibatch.distributed.profile;

/**
 * The driver's resident-step messages and their bytes, counted as they are received and sent,
 * until {@link #take} hands them to the {@link StepProfile}. Bytes are the payload as Java
 * serialization sends it between JVMs; in {@code local} mode the messages stay in the JVM and
 * these are what they would weigh on a network. Thread-safe: tasks in the driver's JVM report
 * from their own threads.
 */
public final class DriverTraffic {
    private long messagesIn;
    private long bytesIn;
    private long messagesOut;
    private long bytesOut;

    /** Counts one message received, of {@code bytes} bytes. */
    public synchronized void received(long bytes) {
        messagesIn++;
        bytesIn += bytes;
    }

    /** Counts one message sent, of {@code bytes} bytes. */
    public synchronized void sent(long bytes) {
        messagesOut++;
        bytesOut += bytes;
    }

    /** The counts since the last call: {@code [messages in, bytes in, messages out, bytes out]}. */
    public synchronized long[] take() {
        long[] t = {messagesIn, bytesIn, messagesOut, bytesOut};
        messagesIn = bytesIn = messagesOut = bytesOut = 0;
        return t;
    }
}
