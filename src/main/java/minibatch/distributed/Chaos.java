package minibatch.distributed;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Fault injection for the chaos tests on a real cluster; off unless {@code spark.minibatch.chaos}
 * is set. The setting lists points such as {@code mid_step@200,evaluation@3}; when the first
 * attempt of partition 0's task reaches one, it writes a file named after the point into
 * {@code spark.minibatch.chaos.dir} holding its executor's process id, and holds still for up to
 * two minutes, so that the test's {@code kill -9} lands exactly at that point.
 */
public final class Chaos implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String KEY = "spark.minibatch.chaos";
    static final String DIR_KEY = "spark.minibatch.chaos.dir";
    private static final long HOLD_MILLIS = 120_000;

    /** Where a task can be held. */
    public enum Point {
        /** A resident task has read its partition and not yet asked for its first step ({@code @segment}). */
        SEGMENT_START,
        /** A resident task has step {@code @step}'s order and has not computed its sums. */
        MID_STEP,
        /** A resident task has sent step {@code @step}'s sums and not yet received the next order. */
        BETWEEN_STEPS,
        /** An evaluation task of epoch {@code @epoch} (the train set's) is running. */
        EVALUATION
    }

    private final Set<String> points;
    private final Path dir;

    private Chaos(Set<String> points, Path dir) {
        this.points = points;
        this.dir = dir;
    }

    /** The plan for the current task, or null (the usual case: no chaos, or not a task it applies to). */
    public static Chaos forTask() {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        if (task == null || env == null || task.partitionId() != 0 || task.stageAttemptNumber() != 0
                || task.attemptNumber() != 0) {
            return null;
        }
        String plan = env.conf().get(KEY, "");
        if (plan.isBlank()) {
            return null;
        }
        return new Chaos(Set.of(plan.toLowerCase(Locale.ROOT).split(",")), Path.of(env.conf().get(DIR_KEY)));
    }

    /** Holds the task if {@code point@n} is in the plan. */
    public void at(Point point, long n) {
        String name = point.name().toLowerCase(Locale.ROOT) + "@" + n;
        if (!points.contains(name)) {
            return;
        }
        try {
            Path tmp = Files.writeString(dir.resolve("." + name), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(HOLD_MILLIS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("chaos: cannot write " + dir.resolve(name), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The epoch in an evaluation job's description ("evaluate train epoch 3.00" → 3), or -1, also
     * for the evaluation of a run's last, partial epoch ("epoch 3.33"): a point names whole epochs
     * only, so that it is not reached a second time (and held, with no one left to kill the task).
     */
    public static long evaluatedEpoch() {
        String description = TaskContext.get().getLocalProperty("spark.job.description");
        String prefix = "evaluate train epoch ";
        if (description == null || !description.startsWith(prefix)) {
            return -1;
        }
        double epoch = Double.parseDouble(description.substring(prefix.length()));
        return epoch == Math.rint(epoch) ? (long) epoch : -1;
    }
}
