package minibatch.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one Master and N Workers as separate
 * JVMs, started from the Maven-resolved jars (a {@code SPARK_HOME/jars} folder of symlinks, as
 * Spark's own scripts would start them), on free ports. {@link #close} stops every process it started, executors
 * included, also when a test fails.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 90_000;

    private final Path home;
    private final Path appJar;
    private final Path classpathFile;
    private final int masterPort;
    private final List<Process> daemons = new ArrayList<>();
    private final List<Path> workerLogs = new ArrayList<>();

    private final int cores;
    private final String memory;

    private StandaloneCluster(Path dir, int cores, String memory) throws IOException {
        this.cores = cores;
        this.memory = memory;
        this.home = Files.createDirectories(dir.resolve("spark-home"));
        List<String> classpath = SparkHome.linkClasspathJars(Files.createDirectories(home.resolve("jars"))).stream()
                .map(Path::toString).toList();
        this.appJar = SparkHome.appJar(dir.resolve("spark-minibatch-test.jar"));
        this.classpathFile = Files.writeString(dir.resolve("spark-classpath.txt"), String.join(":", classpath));
        this.masterPort = freePort();
    }

    /** Starts a Master and {@code workers} Workers (1 core, 2 GiB each) and waits until all registered. */
    public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        return start(dir, workers, 1, "2g");
    }

    /** Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} (e.g. "2g") each. */
    public static StandaloneCluster start(Path dir, int workers, int cores, String memory)
            throws IOException, InterruptedException {
        StandaloneCluster cluster = new StandaloneCluster(dir, cores, memory);
        // also when the test JVM is stopped before @AfterAll runs
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        try {
            cluster.startMaster();
            for (int i = 0; i < workers; i++) {
                cluster.startWorker(i);
            }
            cluster.awaitWorkers();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The application jar (the main classes) for submit.sh's {@code MINIBATCH_JAR}. */
    public Path appJar() {
        return appJar;
    }

    /** The Spark classpath file for submit.sh's {@code MINIBATCH_CLASSPATH_FILE}. */
    public Path classpathFile() {
        return classpathFile;
    }

    /** Environment every process of this cluster (and its driver) runs with. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return env;
    }

    /** Pids of the executor JVMs the Workers launched that are alive now. */
    public List<Long> executorPids() {
        List<Long> pids = new ArrayList<>();
        String marker = home.resolve("jars").toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(marker)) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException ignored) {
                    // the process ended while being looked at
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    private void startMaster() throws IOException, InterruptedException {
        int webPort = freePort();
        daemons.add(launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(webPort))));
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), masterPort)) {
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !daemons.get(0).isAlive()) {
                    throw new IllegalStateException("the Master did not start; see " + home.resolve("master.log"));
                }
                Thread.sleep(200);
            }
        }
    }

    private void startWorker(int i) throws IOException {
        daemons.add(launchWorker(i));
        workerLogs.add(home.resolve("worker-" + i + ".log"));
    }

    private Process launchWorker(int i) throws IOException {
        Path workDir = Files.createDirectories(home.resolve("work-" + i));
        return launch("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", Integer.toString(cores), "--memory", memory, "--webui-port", Integer.toString(freePort()),
                "--work-dir", workDir.toString(), masterUrl()));
    }

    /** Starts again every Worker whose JVM is gone (a test killed it), and waits until all registered. */
    public void restartLostWorkers() throws IOException, InterruptedException {
        for (int i = 0; i < workerLogs.size(); i++) {
            if (!daemons.get(i + 1).isAlive()) { // daemons: the Master, then the Workers in order
                daemons.set(i + 1, launchWorker(i));
            }
        }
        awaitWorkers();
    }

    private void awaitWorkers() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        for (Path log : workerLogs) {
            while (!Files.readString(log).contains("Successfully registered with master")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("a Worker did not register; see " + log);
                }
                Thread.sleep(200);
            }
        }
    }

    private Process launch(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(System.getProperty("minibatch.jvm.flags").trim().split("\\s+")));
        command.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*"));
        command.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        pb.environment().putAll(environment());
        return pb.start();
    }

    @Override
    public void close() {
        // Workers first (they stop their executors), then the Master; then anything left over.
        for (int i = daemons.size() - 1; i >= 0; i--) {
            stop(daemons.get(i).toHandle());
        }
        for (long pid : executorPids()) {
            ProcessHandle.of(pid).ifPresent(StandaloneCluster::stop);
        }
    }

    private static void stop(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
