package minibatch.distributed;

import java.util.Locale;
import minibatch.Names;
import minibatch.UserError;
import minibatch.distributed.barrier.StepLink;
import minibatch.distributed.barrier.SumsSender;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.RuntimeConfig;

/**
 * Every {@code spark.minibatch.*} setting: its key, its default and its parser. They are read
 * from the session's runtime configuration where they are used, so {@code --conf} at launch and
 * {@code spark.conf().set(...)} on a running session both work; a value that does not parse is a
 * {@link UserError} naming the key, what it takes and the value given.
 */
public final class MinibatchSettings {
    /** Fixes the resident steps' step bound (a Spark time string: "30s", "2min"); unset, it is derived from the run. */
    public static final String STEP_TIMEOUT = "spark.minibatch.stepTimeout";
    /** Who sends a resident step's partial sums ({@link SumsSender}); default {@code executor}. */
    public static final String PARTIAL_SUMS = "spark.minibatch.partialSums";
    /** How resident tasks in the driver's JVM reach it ({@link StepLink}); default {@code direct}. */
    public static final String STEP_LINK = "spark.minibatch.stepLink";
    /** The {@link TaskHook} class the tasks use; unset, none. */
    public static final String TASK_HOOK = "spark.minibatch.taskHook";
    /** Spark's own network timeout, which bounds the derived step bound. */
    static final String NETWORK_TIMEOUT = "spark.network.timeout";
    private static final String NETWORK_TIMEOUT_DEFAULT = "120s";

    private MinibatchSettings() {
    }

    /**
     * Copies every {@code spark.minibatch.*} setting that {@code from} holds into {@code to}: a
     * session made with {@code newSession()} starts from the application's configuration, not from
     * its parent's runtime settings. Spark's own settings ({@code spark.network.timeout}) come with
     * the application's configuration, and a session refuses to have them set.
     */
    public static void copy(RuntimeConfig from, RuntimeConfig to) {
        scala.jdk.javaapi.CollectionConverters.asJava(from.getAll()).forEach((key, value) -> {
            if (key.startsWith("spark.minibatch.")) {
                to.set(key, value);
            }
        });
    }

    /** {@link #STEP_TIMEOUT} in milliseconds, or null when it is not set. */
    public static Long stepTimeoutMillis(RuntimeConfig conf) {
        return conf.contains(STEP_TIMEOUT) ? millis(conf, STEP_TIMEOUT, null) : null;
    }

    /** {@code spark.network.timeout} in milliseconds (120 s unless set). */
    public static long networkTimeoutMillis(RuntimeConfig conf) {
        return millis(conf, NETWORK_TIMEOUT, NETWORK_TIMEOUT_DEFAULT);
    }

    /** {@link #PARTIAL_SUMS}. */
    public static SumsSender partialSums(RuntimeConfig conf) {
        return choice(conf, PARTIAL_SUMS, SumsSender.EXECUTOR);
    }

    /** {@link #STEP_LINK}. */
    public static StepLink stepLink(RuntimeConfig conf) {
        return choice(conf, STEP_LINK, StepLink.DIRECT);
    }

    /**
     * {@link #TASK_HOOK}: the name of a {@link TaskHook} class that the driver's class path holds
     * (tasks load it again with their own class loader), or null when it is not set.
     */
    public static String taskHook(RuntimeConfig conf) {
        if (!conf.contains(TASK_HOOK)) {
            return null;
        }
        String name = conf.get(TASK_HOOK).trim();
        try {
            Class<?> hook = Class.forName(name, false, TaskHook.classLoader());
            if (TaskHook.class.isAssignableFrom(hook) && !hook.isInterface()
                    && !java.lang.reflect.Modifier.isAbstract(hook.getModifiers())) {
                hook.getConstructor(); // what every task calls: a public constructor without arguments
                return name;
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // not on the class path, or no public constructor without arguments: the error below
        }
        throw new UserError(TASK_HOOK + " must name a " + TaskHook.class.getName() + " class on the class path, "
                + "with a public constructor without arguments (got "
                + name + ")");
    }

    /**
     * The constant of {@code fallback}'s enum that {@code key} names, in any case, or {@code fallback}
     * when it is not set.
     *
     * @throws UserError e.g. {@code spark.minibatch.partialSums must be executor or task (got node)}
     */
    private static <E extends Enum<E>> E choice(RuntimeConfig conf, String key, E fallback) {
        String value = conf.get(key, fallback.name().toLowerCase(Locale.ROOT));
        E choice = Names.find(fallback.getDeclaringClass(), value);
        if (choice != null) {
            return choice;
        }
        throw new UserError(key + " must be " + Names.choices(fallback.getDeclaringClass()) + " (got " + value + ")");
    }

    private static long millis(RuntimeConfig conf, String key, String fallback) {
        String value = conf.get(key, fallback);
        long ms;
        try {
            ms = JavaUtils.timeStringAsMs(value);
        } catch (NumberFormatException e) {
            throw new UserError(key + " must be a time such as 30s or 2min (got " + value + ")");
        }
        if (ms <= 0) {
            throw new UserError(key + " must be > 0 (got " + value + ")");
        }
        return ms;
    }
}
