package minibatch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real YARN for tests: a ResourceManager and one NodeManager in this JVM ({@link MiniYARNCluster}
 * from {@code hadoop-client-minicluster}) over a {@link MiniHdfs}, and a Hadoop configuration folder
 * ({@code core-site.xml}, {@code yarn-site.xml}) for {@code spark-submit}'s {@code HADOOP_CONF_DIR}.
 * The NodeManager offers 8 GiB and 4 vcores: an application master and two 1-core executors, or a
 * cluster-mode driver and two executors, fit on a 2-core, 24 GiB machine (the containers mostly wait).
 * Containers are separate JVMs; {@link #close} stops the cluster, which stops them.
 */
public final class MiniYarn implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 30_000;

    private final MiniYARNCluster cluster;
    private final Path confDir;

    private MiniYarn(MiniYARNCluster cluster, Path confDir) {
        this.cluster = cluster;
        this.confDir = confDir;
    }

    /** Starts YARN with {@code hdfs} as its default file system; configuration files go to {@code dir/conf}. */
    public static MiniYarn start(Path dir, MiniHdfs hdfs) throws IOException, InterruptedException {
        YarnConfiguration conf = new YarnConfiguration(hdfs.configuration());
        // a nearly full disk must not mark the only node unhealthy
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, all of the cluster
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        conf.set("yarn.resourcemanager.hostname", "localhost");
        conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        // finished containers' folders are not kept around
        conf.setInt("yarn.nodemanager.delete.debug-delay-sec", 0);
        MiniYARNCluster cluster = new MiniYARNCluster("spark-minibatch-yarn", 1, 1, 1);
        try {
            cluster.init(conf);
            cluster.start();
            // start() may return before the ResourceManager has put its real port in the configuration
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (cluster.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the ResourceManager did not publish its address");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            Path confDir = Files.createDirectories(dir.resolve("conf"));
            Configuration core = new Configuration(false);
            core.set("fs.defaultFS", hdfs.uri());
            write(core, confDir.resolve("core-site.xml"));
            write(cluster.getConfig(), confDir.resolve("yarn-site.xml"));
            return new MiniYarn(cluster, confDir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    /** The folder to give {@code spark-submit} as {@code HADOOP_CONF_DIR}. */
    public Path confDir() {
        return confDir;
    }

    @Override
    public void close() {
        cluster.stop();
    }
}
