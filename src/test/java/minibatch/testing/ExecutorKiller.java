package minibatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import minibatch.distributed.MinibatchSettings;

/**
 * Kills executors where a run's chaos points say ({@code spark.minibatch.chaos}): the run's tasks
 * use the {@link ChaosHook} (shipped to the driver and the executors in a jar of its own), so a
 * task that reaches a point writes its executor's process id to a file named after the point in
 * {@code markers} ({@code spark.minibatch.chaos.dir}) and holds still; this thread
 * {@code kill -9}s that process, once per point; a killer made {@link #withWorkers} first kills the
 * standalone Worker that launched the executor, so that its task slots are gone for good.
 * {@link #close} stops watching.
 */
public final class ExecutorKiller implements AutoCloseable {
    private final Path markers;
    private final List<String> points;
    private final Map<String, Long> killed = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final Path hookJar;
    private final boolean workers;

    /** Starts watching {@code markers} (created if missing) for {@code points}. */
    public ExecutorKiller(Path markers, List<String> points) throws IOException {
        this(markers, points, false);
    }

    /** As {@link #ExecutorKiller(Path, List)}, killing each executor's Worker too. */
    public static ExecutorKiller withWorkers(Path markers, List<String> points) throws IOException {
        return new ExecutorKiller(markers, points, true);
    }

    private ExecutorKiller(Path markers, List<String> points, boolean workers) throws IOException {
        this.workers = workers;
        this.markers = Files.createDirectories(markers);
        this.points = List.copyOf(points);
        this.hookJar = hookJar(markers.resolveSibling(markers.getFileName() + "-hook.jar"));
        this.thread = new Thread(this::watch, "executor-killer");
        thread.start();
    }

    /**
     * The {@code --conf} options that make a run's tasks use the {@link ChaosHook} (its jar added to
     * the application: the driver checks the class, the executors load it), stop at the points and
     * report to this killer.
     */
    public List<String> sparkOptions() {
        return List.of("--conf", "spark.jars=" + hookJar, "--conf", MinibatchSettings.TASK_HOOK + "=" + ChaosHook.class.getName(),
                "--conf", ChaosHook.KEY + "=" + String.join(",", points), "--conf", ChaosHook.DIR_KEY + "=" + markers);
    }

    /** Writes a jar of the {@link ChaosHook}'s classes (from the test classes) to {@code jar}. */
    private static Path hookJar(Path jar) throws IOException {
        Path classes;
        try {
            classes = Path.of(ChaosHook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        String folder = ChaosHook.class.getPackageName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             var files = Files.list(classes.resolve(folder))) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("ChaosHook(\\$.*)?\\.class")).toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + f.getFileName()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Point → pid of the executor killed there. */
    public Map<String, Long> killed() {
        return Map.copyOf(killed);
    }

    private void watch() {
        while (running.get()) {
            try (var files = Files.list(markers)) {
                // a hidden file is a marker still being written (renamed into place when complete)
                for (Path marker : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    String point = marker.getFileName().toString();
                    if (!killed.containsKey(point)) {
                        long pid = Long.parseLong(Files.readString(marker).strip());
                        if (workers) {
                            killWorkerOf(pid);
                        }
                        kill(pid);
                        killed.put(point, pid);
                    }
                }
                Thread.sleep(20);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void kill(long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }

    /** Kills the standalone Worker JVM whose child the executor {@code pid} is. */
    private static void killWorkerOf(long pid) throws IOException, InterruptedException {
        ProcessHandle worker = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IllegalStateException("executor " + pid + " has no parent process"));
        String command = worker.info().commandLine().orElse("");
        if (!command.contains("org.apache.spark.deploy.worker.Worker")) {
            throw new IllegalStateException("the parent of executor " + pid + " is not a Worker: " + command);
        }
        kill(worker.pid());
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
