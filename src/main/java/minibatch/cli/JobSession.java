package minibatch.cli;

import java.util.Map;
import java.util.TreeMap;
import minibatch.UserError;
import minibatch.config.SecretRedaction;
import minibatch.distributed.KryoClasses;
import minibatch.distributed.StepRunners;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates the job's SparkSession from {@code --master}, {@code --conf} and the job's own defaults. */
public final class JobSession {
    private JobSession() {
    }

    /**
     * Settings the job applies unless the user set them: whole-stage codegen would compile a new
     * class for every step's sample seed; Spark's console progress bar would
     * garble the job's own progress lines; and a task result above 1 MiB (the gradient sums of a
     * network with more than ~131,000 parameters) would otherwise be parked in the executor's block
     * manager and fetched by the driver in a second round trip, every step (~17 ms of a 38 ms step
     * at 203,530 parameters, measured). Spark caps this size at {@code spark.rpc.message.maxSize}.
     * The task binary, which carries the weights, is broadcast through buffers of
     * {@code spark.broadcast.blockSize} allocated (and zeroed) whole every step: Spark's 4 MiB for a
     * 316 KiB textbook binary cost ~9% of the step locally; 1 MiB pieces were no slower on a
     * standalone cluster for an 800 KiB binary (BENCHMARKS.md, 2026-11-28, 6a9c942). A native
     * OpenBLAS, when netlib finds one, starts a thread per core for each {@code dgemm}; a task owns
     * one core, so each executor's BLAS runs in the task's own thread.
     */
    static final Map<String, String> JOB_DEFAULTS = jobDefaults();

    private static Map<String, String> jobDefaults() {
        Map<String, String> defaults = new TreeMap<>(StepRunners.sqlSettings());
        defaults.putAll(Map.of(
                "spark.ui.showConsoleProgress", "false",
                "spark.task.maxDirectResultSize", "64m",
                "spark.broadcast.blockSize", "1m",
                "spark.executorEnv.OPENBLAS_NUM_THREADS", "1"));
        return java.util.Collections.unmodifiableMap(defaults);
    }

    /**
     * What the job sets on the session: each job default that neither spark-submit
     * ({@code existing}) nor {@code --conf} set, then every {@code --conf} setting, and the job's
     * classes added to the Kryo registrations (see {@link KryoClasses}).
     */
    static Map<String, String> settings(SparkConf existing, Map<String, String> conf) {
        Map<String, String> settings = new TreeMap<>();
        JOB_DEFAULTS.forEach((k, v) -> {
            if (!existing.contains(k) && !conf.containsKey(k)) {
                settings.put(k, v);
            }
        });
        settings.putAll(conf);
        // Spark's UI, event logs and --verbose hide what summary.json hides: Spark's own pattern, the
        // storage keys it misses, and the user's pattern, added to ours, never replaced by it.
        String userPattern = conf.getOrDefault(SecretRedaction.SECRET_SETTING,
                existing.get(SecretRedaction.SECRET_SETTING, ""));
        settings.put(SecretRedaction.SECRET_SETTING,
                SecretRedaction.of(Map.of(SecretRedaction.SECRET_SETTING, userPattern)).secretPattern());
        // Added to, never replaced: a user's own Kryo registrations stay.
        settings.put(KryoClasses.SETTING, KryoClasses.mergedWith(
                conf.getOrDefault(KryoClasses.SETTING, existing.get(KryoClasses.SETTING, ""))));
        return settings;
    }

    /** What Spark 4 takes as a master URL (the cluster manager checks the rest). */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9]\\d*)(,[0-9]+)?]|local-cluster\\[\\d+,\\d+,\\d+]|spark://.+|yarn|k8s://.+");

    /**
     * Refuses, as a user error, a master URL Spark would refuse with a stack trace, given as
     * {@code --master} or as {@code --conf spark.master=...}; also a {@code spark.redaction.regex}
     * or {@code spark.redaction.string.regex} that is not a regular expression. (submit.sh checks
     * the master with the same rule before spark-submit sees it.)
     */
    static void checkSettings(String master, Map<String, String> conf) {
        checkMaster("--master " + master, master);
        checkMaster("--conf spark.master=" + conf.get("spark.master"), conf.get("spark.master"));
        SecretRedaction.of(conf);
    }

    private static void checkMaster(String given, String master) {
        if (master != null && !master.isBlank() && !MASTER.matcher(master).matches()) {
            throw new UserError(given + ": not a Spark master URL (local, local[N], local[*], local[N,F], "
                    + "spark://HOST:PORT, yarn, k8s://https://HOST:PORT)");
        }
    }

    public static SparkSession create(String appName, String master, Map<String, String> conf) {
        checkSettings(master, conf);
        SparkConf existing = new SparkConf(); // holds what spark-submit passed as spark.* properties
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null && !master.isBlank()) {
            builder.master(master);
        } else if (!existing.contains("spark.master")) {
            builder.master("local[*]");
        }
        settings(existing, conf).forEach(builder::config);
        try {
            return builder.getOrCreate();
        } catch (RuntimeException e) {
            throw new UserError("cannot start Spark with --master " + (master == null ? existing.get("spark.master", "local[*]") : master)
                    + " and the given --conf settings: " + UserError.firstLine(e), e);
        }
    }
}
