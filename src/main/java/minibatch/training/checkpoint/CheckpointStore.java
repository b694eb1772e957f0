package minibatch.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import minibatch.UserError;
import minibatch.model.ParameterDigest;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a run under {@code OUT/checkpoints/step-NNNNNNNNN/}: {@code checkpoint.json}
 * (metadata, evaluations, and the SHA-256 of the arrays) and {@code arrays.bin} (weights,
 * optimizer state and per-step metrics as little-endian doubles). Each is written to a hidden
 * folder and renamed; the last {@value #KEEP} are kept. Data only, never Java serialization.
 */
public final class CheckpointStore {
    public static final String FOLDER = "checkpoints";
    static final int KEEP = 2;
    private static final String FORMAT = "spark-minibatch-checkpoint";
    /**
     * 2: mini-batches are {@code Dataset.sample}'s rows of the cached DataFrame. Version 1
     * checkpoints came from {@code RDD.sample} over cached objects: other batches, so they cannot
     * continue a run of this version.
     */
    static final int VERSION = 2;

    private final Path runDir;
    private final Path dir;
    private final Configuration conf;

    public CheckpointStore(Path runDir, Configuration conf) {
        this.runDir = runDir;
        this.dir = new Path(runDir, FOLDER);
        this.conf = conf;
    }

    /** The checkpoints' folder ({@code RUN/checkpoints}), for messages. */
    public String folder() {
        return runDir + "/" + FOLDER;
    }

    public void write(Checkpoint checkpoint) throws IOException {
        TrainingState c = checkpoint.state();
        FileSystem fs = dir.getFileSystem(conf);
        String name = String.format(Locale.ROOT, "step-%09d", c.step());
        Path tmp = new Path(dir, "." + name + ".tmp");
        fs.delete(tmp, true);
        fs.mkdirs(tmp);
        Map<String, double[]> arrays = arrays(c);
        byte[] bytes = new byte[arrays.values().stream().mapToInt(a -> a.length * 8).sum()];
        int pos = 0;
        for (double[] a : arrays.values()) {
            ByteBuffer.wrap(bytes, pos, a.length * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(a);
            pos += a.length * 8;
        }
        try (OutputStream out = fs.create(new Path(tmp, "arrays.bin"), true)) {
            out.write(bytes);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = json.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("format_version", VERSION);
        meta.put("step", c.step());
        meta.put("config_fingerprint", checkpoint.configFingerprint());
        ArrayNode names = meta.putArray("arrays");
        arrays.forEach((k, v) -> names.addObject().put("name", k).put("length", v.length));
        meta.put("arrays_sha256", ParameterDigest.sha256(bytes));
        meta.put("optimizer_arrays", c.optimizerState().size());
        meta.put("optimizer_updates", c.optimizerUpdates());
        meta.put("empty_batches", c.emptyBatches());
        meta.put("last_finite_loss", c.lastFiniteLoss());
        meta.put("last_finite_step", c.lastFiniteStep());
        meta.put("elapsed_ms", c.elapsedMillis());
        meta.put("evaluation_ms", c.evaluationMillis());
        ArrayNode epochs = meta.putArray("epochs");
        c.epochs().forEach(e -> epochs.add(epoch(json, e)));
        if (c.bestEpoch() != null) {
            meta.set("best_epoch", epoch(json, c.bestEpoch()));
        }
        meta.put("since_best", c.sinceBest());
        try (OutputStream out = fs.create(new Path(tmp, "checkpoint.json"), true)) {
            json.writerWithDefaultPrettyPrinter().writeValue(out, meta);
        }
        Path done = new Path(dir, name);
        fs.delete(done, true);
        if (!fs.rename(tmp, done)) {
            throw new IOException("cannot rename " + tmp + " to " + done);
        }
        List<Path> all = complete(fs);
        for (int i = 0; i < all.size() - KEEP; i++) {
            fs.delete(all.get(i), true);
        }
    }

    private static Map<String, double[]> arrays(TrainingState c) {
        Map<String, double[]> a = new LinkedHashMap<>();
        a.put("params", c.params());
        for (int i = 0; i < c.optimizerState().size(); i++) {
            a.put("optimizer_" + i, c.optimizerState().get(i));
        }
        if (c.bestParams() != null) {
            a.put("best_params", c.bestParams());
        }
        a.put("step_loss", c.steps().stream().mapToDouble(StepRecord::loss).toArray());
        a.put("step_rows", c.steps().stream().mapToDouble(StepRecord::batchRows).toArray());
        a.put("step_ms", c.steps().stream().mapToDouble(StepRecord::stepMillis).toArray());
        a.put("step_elapsed_ms", c.steps().stream().mapToDouble(StepRecord::elapsedMillis).toArray());
        return a;
    }

    private static ArrayNode epoch(ObjectMapper json, EpochRecord e) {
        ArrayNode n = json.createArrayNode();
        for (double v : e.values()) {
            n.add(v);
        }
        return n;
    }

    private static EpochRecord epoch(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble();
        }
        return EpochRecord.of(v);
    }

    /** Complete checkpoint folders, oldest first. */
    private List<Path> complete(FileSystem fs) throws IOException {
        if (!fs.exists(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory() && s.getPath().getName().matches("step-\\d{9}")) {
                out.add(s.getPath());
            }
        }
        out.sort(Comparator.comparing(Path::getName));
        return out;
    }

    /** True if any checkpoint folder (complete or not) exists. */
    public boolean any() throws IOException {
        return !complete(dir.getFileSystem(conf)).isEmpty();
    }

    /**
     * The newest checkpoint that reads back intact, or null. A damaged one (missing file, bad
     * checksum, wrong format) is skipped with a warning on {@code warnings}.
     *
     * @throws UserError when the newest one was written by an older format version
     */
    public Checkpoint latest(PrintStream warnings) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<Path> all = new ArrayList<>(complete(fs));
        java.util.Collections.reverse(all);
        for (Path p : all) {
            try {
                return read(fs, p);
            } catch (OlderVersion e) {
                throw new UserError("--resume: " + p + " is a version " + e.version + " checkpoint of an older "
                        + "spark-minibatch, whose mini-batches differ from this version's (" + VERSION
                        + "); it cannot be resumed: start the run again (--overwrite)");
            } catch (IOException | RuntimeException e) {
                warnings.println("warning: skipping checkpoint " + p + ": " + UserError.firstLine(e));
            }
        }
        return null;
    }

    private static Checkpoint read(FileSystem fs, Path p) throws IOException {
        JsonNode meta;
        try (InputStream in = fs.open(new Path(p, "checkpoint.json"))) {
            meta = new ObjectMapper().readTree(in);
        }
        if (meta != null && FORMAT.equals(meta.path("format").asText()) && meta.path("format_version").asInt() < VERSION) {
            throw new OlderVersion(meta.path("format_version").asInt());
        }
        if (meta == null || !FORMAT.equals(meta.path("format").asText()) || meta.path("format_version").asInt() != VERSION) {
            throw new IOException("not a version " + VERSION + " " + FORMAT);
        }
        long total = 0;
        for (JsonNode a : meta.get("arrays")) {
            total += a.get("length").asLong() * 8;
        }
        Path arraysFile = new Path(p, "arrays.bin");
        if (fs.getFileStatus(arraysFile).getLen() != total || total > Integer.MAX_VALUE) {
            throw new IOException("arrays.bin has " + fs.getFileStatus(arraysFile).getLen() + " bytes, expected " + total);
        }
        byte[] bytes;
        try (InputStream in = fs.open(arraysFile)) {
            bytes = in.readNBytes((int) total);
        }
        if (!ParameterDigest.sha256(bytes).equals(meta.path("arrays_sha256").asText())) {
            throw new IOException("arrays.bin does not match its SHA-256 (corrupt or partial)");
        }
        Map<String, double[]> arrays = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode a : meta.get("arrays")) {
            double[] v = new double[a.get("length").asInt()];
            buf.asDoubleBuffer().get(v);
            buf.position(buf.position() + v.length * 8);
            arrays.put(a.get("name").asText(), v);
        }
        List<double[]> optimizer = new ArrayList<>();
        for (int i = 0; i < meta.get("optimizer_arrays").asInt(); i++) {
            optimizer.add(arrays.get("optimizer_" + i));
        }
        double[] loss = arrays.get("step_loss");
        List<StepRecord> steps = new ArrayList<>(loss.length);
        for (int i = 0; i < loss.length; i++) {
            steps.add(new StepRecord(i + 1, loss[i], (long) arrays.get("step_rows")[i], arrays.get("step_ms")[i],
                    arrays.get("step_elapsed_ms")[i]));
        }
        List<EpochRecord> epochs = new ArrayList<>();
        meta.get("epochs").forEach(e -> epochs.add(epoch(e)));
        EpochRecord best = meta.has("best_epoch") ? epoch(meta.get("best_epoch")) : null;
        return new Checkpoint(meta.get("config_fingerprint").asText(), new TrainingState(meta.get("step").asLong(),
                arrays.get("params"), optimizer, meta.get("optimizer_updates").asLong(), meta.get("empty_batches").asLong(),
                meta.get("last_finite_loss").asDouble(), meta.get("last_finite_step").asLong(),
                meta.get("elapsed_ms").asDouble(), meta.get("evaluation_ms").asDouble(), steps, epochs, best,
                arrays.get("best_params"), meta.get("since_best").asInt()));
    }

    /** A checkpoint of an earlier format version. */
    private static final class OlderVersion extends IOException {
        private static final long serialVersionUID = 1L;
        final int version;

        OlderVersion(int version) {
            super("format version " + version);
            this.version = version;
        }
    }
}
