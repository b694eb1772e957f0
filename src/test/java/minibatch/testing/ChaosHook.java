package minibatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import minibatch.distributed.TaskHook;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * The chaos tests' {@link TaskHook} on a real cluster ({@link ExecutorKiller} names it with
 * {@code spark.minibatch.taskHook} and ships it in a jar of its own). Its plan is the
 * application's {@code spark.minibatch.chaos}, points such as {@code mid_step@200,evaluation@3};
 * when partition 0's task (of any attempt) reaches one for the first time, it writes a file named
 * after the point into {@code spark.minibatch.chaos.dir} holding its executor's process id, and
 * holds still for up to two minutes, so that the test's {@code kill -9} lands exactly at that
 * point. A point whose file exists is passed (a retried task reaches it again), as are the
 * points of other tasks and of runs without a plan.
 */
public final class ChaosHook implements TaskHook {
    static final String KEY = "spark.minibatch.chaos";
    static final String DIR_KEY = "spark.minibatch.chaos.dir";
    private static final long HOLD_MILLIS = 120_000;

    /** The plan's points ({@code mid_step@200}), empty when this task is not one it applies to. */
    private final Set<String> points;
    private final Path dir;

    public ChaosHook() {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        String plan = env == null ? "" : env.conf().get(KEY, "");
        boolean applies = task != null && task.partitionId() == 0 && !plan.isBlank();
        this.points = applies ? Set.of(plan.toLowerCase(Locale.ROOT).split(",")) : Set.of();
        this.dir = applies ? Path.of(env.conf().get(DIR_KEY)) : null;
    }

    @Override
    public void segmentStart(String endpoint, int segment) {
        at("segment_start", segment);
    }

    @Override
    public <T> CompletableFuture<T> betweenSteps(long step, CompletableFuture<T> answer) {
        at("between_steps", step);
        return answer;
    }

    @Override
    public void midStep(long step) {
        at("mid_step", step);
    }

    @Override
    public void evaluation() {
        at("evaluation", evaluatedEpoch());
    }

    /** Holds the task if {@code point@n} is in the plan. */
    private void at(String point, long n) {
        String name = point + "@" + n;
        if (!points.contains(name) || Files.exists(dir.resolve(name))) {
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
    private static long evaluatedEpoch() {
        TaskContext task = TaskContext.get();
        String description = task == null ? null : task.getLocalProperty("spark.job.description");
        String prefix = "evaluate train epoch ";
        if (description == null || !description.startsWith(prefix)) {
            return -1;
        }
        double epoch = Double.parseDouble(description.substring(prefix.length()));
        return epoch == Math.rint(epoch) ? (long) epoch : -1;
    }
}
