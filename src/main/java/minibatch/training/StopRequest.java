package minibatch.training;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop training after the current step, e.g. from Ctrl-C. The loop checks it once per
 * step, writes a checkpoint and ends with {@link Stopped}.
 */
public final class StopRequest {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Never stops unless {@link #request} is called. */
    public static StopRequest manual() {
        return new StopRequest();
    }

    /**
     * Stops on SIGINT (Ctrl-C) and SIGTERM instead of letting the JVM exit mid-step. A second
     * signal is not intercepted again, so it ends the JVM the usual way.
     */
    @SuppressWarnings("restriction")
    public static StopRequest onSignals() {
        StopRequest stop = new StopRequest();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
                previous[0] = sun.misc.Signal.handle(signal, s -> {
                    if (!stop.request("SIG" + s.getName())) {
                        sun.misc.Signal.handle(signal, previous[0]);
                        previous[0].handle(s);
                    }
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform or is used by the JVM: keep the default
            }
        }
        return stop;
    }

    /** Asks the loop to stop; false if a stop was already requested. */
    public boolean request(String why) {
        return reason.compareAndSet(null, why);
    }

    public boolean requested() {
        return reason.get() != null;
    }

    public String reason() {
        return reason.get();
    }

    /** Thrown by the loop after it stopped on request; a checkpoint of {@link #step()} was written. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long step;

        Stopped(String reason, long step) {
            super(reason + ": stopped after step " + step);
            this.step = step;
        }

        public long step() {
            return step;
        }
    }
}
