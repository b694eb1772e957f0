package minibatch.testing;

import java.util.concurrent.CompletableFuture;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.TaskHook;
import org.apache.spark.sql.SparkSession;

/**
 * Faults a test injects into the tasks of this JVM ({@code local} mode): {@link #inject} names
 * this class as the session's {@code spark.minibatch.taskHook}, and every task's instance passes
 * each point on to the test's hook until {@link #clear}.
 */
public final class TaskFaults implements TaskHook {
    private static volatile TaskHook current = TaskHook.NONE;

    /** Makes the tasks of {@code spark}'s runs call {@code hook}. */
    public static void inject(SparkSession spark, TaskHook hook) {
        current = hook;
        spark.conf().set(MinibatchSettings.TASK_HOOK, TaskFaults.class.getName());
    }

    /** Back to no faults. */
    public static void clear(SparkSession spark) {
        spark.conf().unset(MinibatchSettings.TASK_HOOK);
        current = TaskHook.NONE;
    }

    @Override
    public void segmentStart(String endpoint, int segment) {
        current.segmentStart(endpoint, segment);
    }

    @Override
    public <T> CompletableFuture<T> betweenSteps(long step, CompletableFuture<T> answer) {
        return current.betweenSteps(step, answer);
    }

    @Override
    public void midStep(long step) throws InterruptedException {
        current.midStep(step);
    }

    @Override
    public void evaluation() {
        current.evaluation();
    }
}
