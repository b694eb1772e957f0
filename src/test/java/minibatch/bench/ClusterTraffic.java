package minibatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.testing.StandaloneCluster;

/**
 * {@code ./submit.sh bench-cluster}: the driver's traffic per step on a real standalone cluster on
 * this machine (Master, Workers and executors as separate JVMs on 127.0.0.1), for the large
 * network (784-1024-1024-10 ReLU, He, Adam lr 0.001, batch 100, 2 partitions), on two layouts:
 * one Worker with one executor of 2 cores ({@code 1x2}) and two Workers with one executor of
 * 1 core each ({@code 2x1}); on {@code 1x2} also with {@code spark.minibatch.partialSums=task}
 * (every task sends its own sums) for comparison.
 *
 * <p>Each run is {@code submit.sh train --profile}: the driver counts its messages and their
 * bytes; the loopback interface's received bytes ({@code /proc/net/dev}) over the whole run,
 * divided by the steps, check that count from outside the JVMs. The runs' phases then fit the
 * scaling model (per-step time = slowest task + driver merge and update + transfer), fitted on
 * one layout and checked against the other. Writes {@code traffic.json} into the output folder.
 *
 * <p>Options: {@code --data DIR} (default data/mnist), {@code --steps N} (default 300),
 * {@code --out DIR} (default target/bench-cluster); {@code --from FILE} prints the tables and the
 * model of an earlier run's {@code traffic.json} without running anything.
 */
public final class ClusterTraffic {
    private static final Pattern PHASE = Pattern.compile("(?m)^  ((?:driver|tasks): [^\\n]*?) +([0-9.]+) +([0-9.]+)$");
    private static final Pattern GROUPS = Pattern.compile("(?m)^  partial sums sent by (.*)$");

    private ClusterTraffic() {
    }

    /** One layout: workers × cores, each run's executor cores, the partial-sums setting. */
    private record Layout(String name, int workers, int workerCores, int executorCores, String partialSums) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("--data", "data/mnist", "--steps", "300",
                "--out", "target/bench-cluster", "--from", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opts.containsKey(args[i])) {
                System.err.println("error: bench-cluster: unknown option " + args[i] + " (known: " + opts.keySet() + ")");
                System.exit(2);
            }
            opts.put(args[i], args[i + 1]);
        }
        if (!opts.get("--from").isEmpty()) { // the model again, from an earlier run's traffic.json
            ObjectNode earlier = (ObjectNode) new ObjectMapper().readTree(Path.of(opts.get("--from")).toFile());
            earlier.set("model", model((ArrayNode) earlier.get("runs")));
            print(earlier);
            return;
        }
        Path data = Path.of(opts.get("--data")).toAbsolutePath();
        if (!Files.isRegularFile(data.resolve("train-images-idx3-ubyte"))) {
            System.err.println("error: bench-cluster: no MNIST in " + data + " (run ./submit.sh fetch-data)");
            System.exit(2);
        }
        int steps = Integer.parseInt(opts.get("--steps"));
        Path out = Files.createDirectories(Path.of(opts.get("--out")).toAbsolutePath());
        List<Layout> layouts = List.of(new Layout("1x2", 1, 2, 2, "executor"), new Layout("1x2", 1, 2, 2, "task"),
                new Layout("2x1", 2, 1, 1, "executor"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("steps", steps);
        ArrayNode runs = root.putArray("runs");
        StandaloneCluster cluster = null;
        String clusterLayout = null;
        try {
            for (Layout layout : layouts) {
                if (!layout.name().equals(clusterLayout)) {
                    if (cluster != null) {
                        cluster.close();
                    }
                    cluster = StandaloneCluster.start(Files.createDirectories(out.resolve("cluster-" + layout.name())),
                            layout.workers(), layout.workerCores(), "6g");
                    clusterLayout = layout.name();
                }
                runs.add(run(cluster, layout, data, steps, out.resolve("run-" + layout.name() + "-" + layout.partialSums())));
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        root.set("model", model(runs));
        Files.writeString(out.resolve("traffic.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        print(root);
    }

    private static ObjectNode run(StandaloneCluster cluster, Layout layout, Path data, int steps, Path runDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "submit.sh", "train", "--master", cluster.masterUrl(),
                "--conf", "spark.executor.cores=" + layout.executorCores(), "--conf", "spark.cores.max=2",
                "--conf", "spark.executor.memory=4g", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.minibatch.partialSums=" + layout.partialSums(),
                "--data", data.toString(), "--partitions", "2", "--hidden", "1024,1024", "--activation", "relu",
                "--init", "he", "--optimizer", "adam", "--learning-rate", "0.001", "--batch-size", "100",
                "--steps", Integer.toString(steps), "--seed", "1", "--profile", "--progress-seconds", "10",
                "--out", runDir.toString(), "--overwrite"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(runDir.getParent()).resolve(runDir.getFileName() + ".log").toFile());
        pb.environment().putAll(cluster.environment());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("MINIBATCH_JAR", cluster.appJar().toString());
        pb.environment().put("MINIBATCH_CLASSPATH_FILE", cluster.classpathFile().toString());
        pb.environment().put("DRIVER_MEMORY", "4g");
        long lo0 = loopbackReceivedBytes();
        Process driver = pb.start();
        if (!driver.waitFor(30, TimeUnit.MINUTES)) {
            driver.destroyForcibly();
            throw new IllegalStateException(layout + ": the run did not end within 30 minutes");
        }
        long lo = loopbackReceivedBytes() - lo0;
        String output = Files.readString(runDir.getParent().resolve(runDir.getFileName() + ".log"), StandardCharsets.UTF_8);
        if (driver.exitValue() != 0) {
            throw new IllegalStateException(layout + ": exit status " + driver.exitValue() + "\n" + output);
        }
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        ObjectNode r = new ObjectMapper().createObjectNode();
        r.put("layout", layout.name());
        r.put("partial_sums", layout.partialSums());
        r.put("median_ms_per_step", summary.get("median_ms_per_step").asDouble());
        r.put("weights_sha256", summary.get("weights_sha256").asText());
        r.set("driver_traffic_per_step", summary.get("driver_traffic_per_step"));
        r.put("loopback_bytes_per_step", lo / (double) steps);
        Matcher g = GROUPS.matcher(output);
        r.put("groups", g.find() ? g.group(1) : "?");
        ObjectNode phases = r.putObject("ms_per_step");
        Matcher m = PHASE.matcher(output);
        while (m.find()) {
            phases.put(m.group(1).trim(), Double.parseDouble(m.group(3)));
        }
        System.out.printf(Locale.ROOT, "%s partialSums=%s: %.1f ms/step, %s%n", layout.name(), layout.partialSums(),
                r.get("median_ms_per_step").asDouble(), r.get("driver_traffic_per_step"));
        return r;
    }

    /**
     * The scaling model, per step: {@code task + update + driver's own rest + x + d × messages},
     * where {@code task} is the mean task's sampling and forward/backward, {@code d} the driver's
     * serial cost per executor message pair (serializing one order, deserializing one report) and
     * {@code x} what the round trip costs besides (the wire, the executors' side). {@code d} and
     * {@code x} are fitted on the two layouts' transfer times (executor partial sums: 1 and 2
     * messages); the third run (1x2 with {@code task} partial sums: 2 messages from one executor)
     * checks the model. Then the model's step time and bytes for 1-64 executors of 4 cores at
     * batch 100, with one message per executor and with one per task.
     */
    private static ObjectNode model(ArrayNode runs) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode model = json.createObjectNode();
        List<JsonNode> fit = new ArrayList<>();
        JsonNode check = null;
        for (JsonNode r : runs) {
            if (r.get("partial_sums").asText().equals("executor")) {
                fit.add(r);
            } else {
                check = r;
            }
        }
        if (fit.size() != 2 || check == null) {
            return model;
        }
        double[] e = new double[2];
        double[] transfer = new double[2];
        double task = 0;
        double update = 0;
        double rest = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode ms = fit.get(i).get("ms_per_step");
            double t = ms.path("tasks: sample + forward/backward (barrier)").asDouble() / 2; // two tasks
            e[i] = Math.round(fit.get(i).at("/driver_traffic_per_step/messages_received").asDouble());
            transfer[i] = ms.path("driver: barrier exchange").asDouble() - t;
            task += t / 2;
            update += ms.path("driver: update").asDouble() / 2;
            rest += (ms.path("driver: sample and closure").asDouble() + ms.path("driver: merge").asDouble()) / 2;
        }
        double d = (transfer[1] - transfer[0]) / (e[1] - e[0]);
        double x = transfer[0] - d * e[0];
        double orderBytes = fit.get(0).at("/driver_traffic_per_step/bytes_sent").asDouble() / e[0];
        ObjectNode p = model.putObject("parameters");
        p.put("task_ms_50_rows", task);
        p.put("update_ms", update);
        p.put("driver_rest_ms", rest);
        p.put("d_ms_per_message_pair", d);
        p.put("x_ms", x);
        p.put("bytes_per_message", orderBytes);
        double messages = Math.round(check.at("/driver_traffic_per_step/messages_received").asDouble());
        ObjectNode c = model.putObject("check");
        c.put("layout", check.get("layout").asText() + " partialSums=" + check.get("partial_sums").asText());
        c.put("predicted_ms", task + update + rest + x + d * messages);
        c.put("measured_ms", check.get("median_ms_per_step").asDouble());
        ArrayNode projection = model.putArray("projection_4_cores_per_executor_batch_100");
        for (int executors = 1; executors <= 64; executors *= 2) {
            double rows = Math.max(1.0, 100.0 / (executors * 4));
            double compute = task * rows / 50 + update + rest + x;
            ObjectNode n = projection.addObject();
            n.put("executors", executors);
            n.put("step_ms_per_executor_messages", compute + d * executors);
            n.put("step_ms_per_task_messages", compute + d * executors * 4);
            n.put("driver_mb_per_step_per_executor_messages", 2 * orderBytes * executors / 1e6);
            n.put("driver_mb_per_step_per_task_messages", 2 * orderBytes * executors * 4 / 1e6);
        }
        return model;
    }

    private static void print(ObjectNode root) {
        System.out.println("| layout | partial sums | median ms/step | msgs in/out per step | bytes in per step | "
                + "bytes out per step | loopback bytes per step | groups |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (JsonNode r : root.get("runs")) {
            JsonNode t = r.get("driver_traffic_per_step");
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.2f / %.2f | %,.0f | %,.0f | %,.0f | %s |%n",
                    r.get("layout").asText(), r.get("partial_sums").asText(), r.get("median_ms_per_step").asDouble(),
                    t.get("messages_received").asDouble(), t.get("messages_sent").asDouble(),
                    t.get("bytes_received").asDouble(), t.get("bytes_sent").asDouble(),
                    r.get("loopback_bytes_per_step").asDouble(), r.get("groups").asText());
        }
        System.out.println(root.get("model").toPrettyString());
    }

    /** Bytes received on the loopback interface since boot (Linux {@code /proc/net/dev}). */
    private static long loopbackReceivedBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
            String t = line.trim();
            if (t.startsWith("lo:")) {
                return Long.parseLong(t.substring(3).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no loopback interface in /proc/net/dev");
    }
}
