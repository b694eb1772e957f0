package minibatch.distributed.profile;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where the training steps' time goes. Driver phases are timed around each part of the step;
 * task phases come from Spark's task metrics of the training-step jobs (recognised by their job
 * description), summed over all tasks: with 2 partitions they add up to about twice the wall time
 * they overlap. Listener events arrive asynchronously, so the last few tasks may be missing.
 */
public final class StepProfile extends SparkListener {
    /** Every step's Spark job description starts with this (the Spark UI shows it; the profile looks for it). */
    public static final String STEP_JOB_PREFIX = "train step ";

    /** Driver-side phases, in step order. */
    public enum Phase { SAMPLE_AND_CLOSURE, SPARK_JOB, BARRIER_EXCHANGE, MERGE, UPDATE }

    private final long[] driverNanos = new long[Phase.values().length];
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong deserializeMs = new AtomicLong();
    private final AtomicLong runMs = new AtomicLong();
    private final AtomicLong resultSerializeMs = new AtomicLong();
    private final AtomicLong gettingResultMs = new AtomicLong();
    private final AtomicLong schedulerDelayMs = new AtomicLong();
    private long barrierTaskNanos;
    /** The driver's resident-step messages: {@code [messages in, bytes in, messages out, bytes out]}. */
    private final long[] traffic = new long[4];
    /** Which partitions' sums each executor sends (the latest step's), or null. */
    private String groups;
    private boolean barrier;
    /** The local property setJobDescription sets (SparkContext.SPARK_JOB_DESCRIPTION is private to Spark). */
    private static final String JOB_DESCRIPTION_PROPERTY = "spark.job.description";

    private final Set<Integer> trainingStages = ConcurrentHashMap.newKeySet();
    private long steps;

    /** Starts listening to task ends of {@code sc}. */
    public static StepProfile attach(SparkContext sc) {
        StepProfile profile = new StepProfile();
        sc.addSparkListener(profile);
        return profile;
    }

    public void detach(SparkContext sc) {
        sc.removeSparkListener(this);
    }

    public void add(Phase phase, long nanos) {
        driverNanos[phase.ordinal()] += nanos;
    }

    /** Adds the driver time of the update (done outside the distributed step). */
    public void addUpdate(long nanos) {
        add(Phase.UPDATE, nanos);
    }

    /** Adds barrier tasks' sampling and gradient time (summed over tasks). */
    public void addBarrierTaskNanos(long nanos) {
        barrier = true;
        barrierTaskNanos += nanos;
    }

    /** Adds the driver's messages and bytes ({@link DriverTraffic#take()}). */
    public void addTraffic(long[] t, String groups) {
        this.groups = groups;
        for (int i = 0; i < traffic.length; i++) {
            traffic[i] += t[i];
        }
    }

    /**
     * The driver's resident-step traffic per step: messages and bytes received and sent (payload
     * in Java serialization, as it crosses the network between JVMs), empty with one job per step.
     */
    public Map<String, Double> trafficPerStep() {
        Map<String, Double> t = new LinkedHashMap<>();
        if (!barrier || steps == 0) {
            return t;
        }
        t.put(MESSAGES_IN, traffic[0] / (double) steps);
        t.put(BYTES_IN, traffic[1] / (double) steps);
        t.put(MESSAGES_OUT, traffic[2] / (double) steps);
        t.put(BYTES_OUT, traffic[3] / (double) steps);
        return t;
    }

    private static final String TRAFFIC = "driver traffic per step: ";
    /** {@link #trafficPerStep()} keys. */
    public static final String MESSAGES_IN = TRAFFIC + "messages received";
    public static final String BYTES_IN = TRAFFIC + "bytes received";
    public static final String MESSAGES_OUT = TRAFFIC + "messages sent";
    public static final String BYTES_OUT = TRAFFIC + "bytes sent";

    /** True for the {@link #summary()} keys of {@link #trafficPerStep()}. */
    public static boolean isTraffic(String key) {
        return key.startsWith(TRAFFIC);
    }

    /** {@link #totals()} (milliseconds) followed by {@link #trafficPerStep()} (per step, keys starting "driver traffic"). */
    public Map<String, Double> summary() {
        Map<String, Double> all = totals();
        all.putAll(trafficPerStep());
        return all;
    }

    public void countStep() {
        steps++;
    }

    /** Remembers the stages of training-step jobs, recognised by their job description. */
    @Override
    public void onJobStart(SparkListenerJobStart start) {
        Properties props = start.properties();
        String description = props == null ? null : props.getProperty(JOB_DESCRIPTION_PROPERTY);
        if (description != null && description.startsWith(STEP_JOB_PREFIX)) {
            for (Object id : CollectionConverters.asJava(start.stageIds())) {
                trainingStages.add((Integer) id);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() == null || end.taskInfo() == null || !trainingStages.contains(end.stageId())) {
            return;
        }
        var m = end.taskMetrics();
        var info = end.taskInfo();
        long getting = info.gettingResult() ? info.finishTime() - info.gettingResultTime() : 0;
        long accounted = m.executorDeserializeTime() + m.executorRunTime() + m.resultSerializationTime() + getting;
        tasks.incrementAndGet();
        deserializeMs.addAndGet(m.executorDeserializeTime());
        runMs.addAndGet(m.executorRunTime());
        resultSerializeMs.addAndGet(m.resultSerializationTime());
        gettingResultMs.addAndGet(getting);
        schedulerDelayMs.addAndGet(Math.max(0, info.duration() - accounted));
    }

    /** The {@link #totals()} key of the barrier tasks' own time (summed over the tasks). */
    public static final String BARRIER_TASKS = "tasks: sample + forward/backward (barrier)";

    /** The {@link #totals()} key of a driver phase, e.g. {@code driver: barrier exchange}. */
    public static String key(Phase p) {
        return "driver: " + p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The phases as (name → total milliseconds), driver phases first. */
    public Map<String, Double> totals() {
        Map<String, Double> t = new LinkedHashMap<>();
        Phase notTaken = barrier ? Phase.SPARK_JOB : Phase.BARRIER_EXCHANGE; // a run's steps are one or the other
        for (Phase p : Phase.values()) {
            if (p == notTaken) {
                continue;
            }
            t.put(key(p), driverNanos[p.ordinal()] / 1e6);
        }
        if (barrier) {
            t.put(BARRIER_TASKS, barrierTaskNanos / 1e6);
            return t;
        }
        t.put("tasks: scheduler delay and launch", (double) schedulerDelayMs.get());
        t.put("tasks: deserialize (closure with weights)", (double) deserializeMs.get());
        t.put("tasks: run (sample + forward/backward)", (double) runMs.get());
        t.put("tasks: serialize result", (double) resultSerializeMs.get());
        t.put("tasks: fetch large result", (double) gettingResultMs.get());
        return t;
    }

    public void print(PrintStream out) {
        if (barrier) {
            out.printf(Locale.ROOT, "profile over %d steps in barrier tasks; task times are summed over tasks running in "
                    + "parallel, and the driver's exchange includes them%n", steps);
        } else {
            out.printf(Locale.ROOT, "profile over %d steps (%d tasks); task times are summed over tasks running in parallel%n",
                    steps, tasks.get());
        }
        out.printf(Locale.ROOT, "  %-45s %10s %12s%n", "phase", "total s", "ms per step");
        totals().forEach((name, ms) -> out.printf(Locale.ROOT, "  %-45s %10.2f %12.3f%n", name, ms / 1000,
                steps == 0 ? Double.NaN : ms / steps));
        Map<String, Double> perStep = trafficPerStep();
        if (!perStep.isEmpty()) {
            out.printf(Locale.ROOT, "  driver traffic per step: %.2f messages in (%.0f bytes), %.2f out (%.0f bytes)%n",
                    perStep.get(MESSAGES_IN), perStep.get(BYTES_IN), perStep.get(MESSAGES_OUT), perStep.get(BYTES_OUT));
            out.printf(Locale.ROOT, "  partial sums sent by %s%n", groups);
        }
    }
}
