package minibatch.distributed;

import java.util.concurrent.CompletableFuture;

/**
 * Points in a task's life where a hook may act: how tests inject faults into real tasks (a task
 * that stops answering, an answer that never arrives, an executor killed at an exact point), on
 * {@code local[2]} and on real clusters. A run names its hook class with
 * {@code spark.minibatch.taskHook} ({@link MinibatchSettings#TASK_HOOK}); without it every task
 * uses {@link #NONE}, whose points do nothing. Each task creates its own instance, once, with the
 * class's public no-argument constructor, from the task's context class loader (which sees the
 * jars added to the application). A hook reads the task's partition and attempt from
 * {@code TaskContext.get()}.
 */
public interface TaskHook {
    /** Every point does nothing. */
    TaskHook NONE = new TaskHook() {
    };

    /**
     * A resident task has read its partition and not yet asked for its first step.
     *
     * @param endpoint the name of the driver endpoint the segment's tasks report to
     * @param segment  the segment (barrier job), as the driver numbers them
     */
    default void segmentStart(String endpoint, int segment) {
    }

    /**
     * The task that leads its executor's group has sent the driver {@code step}'s sums ({@code -1}:
     * the segment's first request) and is about to wait for {@code answer}.
     *
     * @return the answer the task waits for: {@code answer}, unless the hook holds it back
     */
    default <T> CompletableFuture<T> betweenSteps(long step, CompletableFuture<T> answer) {
        return answer;
    }

    /**
     * A resident task has {@code step}'s order and has not computed its sums yet.
     *
     * @throws InterruptedException when the hook blocked and Spark killed the task meanwhile
     */
    default void midStep(long step) throws InterruptedException {
    }

    /** An evaluation task starts (its job description names the data set and the epoch). */
    default void evaluation() {
    }

    /**
     * A new instance of the hook {@code className} names, loaded with {@link #classLoader()}, or {@link #NONE} when {@code className} is null.
     *
     * @throws IllegalStateException when the class cannot be loaded or created
     */
    static TaskHook forTask(String className) {
        if (className == null) {
            return NONE;
        }
        try {
            return Class.forName(className, true, classLoader())
                    .asSubclass(TaskHook.class).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IllegalStateException(MinibatchSettings.TASK_HOOK + ": cannot create " + className + " in this task: "
                    + e, e);
        }
    }

    /** The calling thread's context class loader (Spark's, with the application's jars), else this class's. */
    static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : TaskHook.class.getClassLoader();
    }
}
