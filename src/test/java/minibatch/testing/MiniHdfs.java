package minibatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for tests: a NameNode and one DataNode in this JVM ({@link MiniDFSCluster} from
 * {@code hadoop-client-minicluster}), storing under {@code dir}, with permissions on. Paths are
 * given to the job as full {@code hdfs://localhost:PORT/...} URIs, so no Hadoop configuration
 * file is needed to reach it.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;
    private final FileSystem fs;

    private MiniHdfs(MiniDFSCluster cluster) throws IOException {
        this.cluster = cluster;
        this.fs = cluster.getFileSystem();
    }

    /** Starts the cluster and waits until its DataNode serves blocks. */
    public static MiniHdfs start(Path dir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
        conf.setBoolean("dfs.permissions.enabled", true);
        // small files: fast block reports, no replication wait beyond the one DataNode
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
        cluster.waitActive();
        return new MiniHdfs(cluster);
    }

    /** The FileSystem as the user who started the cluster (the HDFS superuser). */
    public FileSystem fs() {
        return fs;
    }

    /** {@code hdfs://localhost:PORT}, without a trailing slash. */
    public String uri() {
        String u = cluster.getURI().toString();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** The full URI of {@code path} ({@code /a/b}). */
    public String url(String path) {
        return uri() + path;
    }

    /** The client configuration that reaches this cluster (for a Hadoop conf dir or a YARN cluster). */
    public Configuration configuration() {
        return cluster.getConfiguration(0);
    }

    /** Copies a local folder's files (not recursively) to {@code hdfsDir}. */
    public String copyFolder(Path local, String hdfsDir) throws IOException {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(hdfsDir);
        fs.mkdirs(target);
        try (var files = Files.list(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(target, f.getFileName().toString()));
            }
        }
        return url(hdfsDir);
    }

    /** The parsed JSON file at {@code hdfsPath}. */
    public JsonNode json(String hdfsPath) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(hdfsPath))) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Whether {@code hdfsPath} exists. */
    public boolean exists(String hdfsPath) throws IOException {
        return fs.exists(new org.apache.hadoop.fs.Path(hdfsPath));
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
