package minibatch.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import minibatch.model.ParameterDigest;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One checkpoint's two files in its folder: {@code arrays.bin}, the weights, optimizer state and
 * per-step metrics as little-endian doubles, one array after the other; and {@code checkpoint.json},
 * the metadata, the evaluations, each array's name and length, and the SHA-256 of {@code arrays.bin}.
 * Data only, never Java serialization.
 */
final class CheckpointFormat {
    static final String FORMAT = "spark-minibatch-checkpoint";
    /**
     * 2: mini-batches are {@code Dataset.sample}'s rows of the cached DataFrame. Version 1
     * checkpoints came from {@code RDD.sample} over cached objects: other batches, so they cannot
     * continue a run of this version.
     */
    static final int VERSION = 2;
    private static final String ARRAYS = "arrays.bin";
    private static final String META = "checkpoint.json";

    private CheckpointFormat() {
    }

    /** Writes {@code checkpoint} into the existing folder {@code folder}. */
    static void write(FileSystem fs, Path folder, Checkpoint checkpoint) throws IOException {
        TrainingState c = checkpoint.state();
        Map<String, double[]> arrays = arrays(c);
        byte[] bytes = new byte[arrays.values().stream().mapToInt(a -> a.length * 8).sum()];
        int pos = 0;
        for (double[] a : arrays.values()) {
            ByteBuffer.wrap(bytes, pos, a.length * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(a);
            pos += a.length * 8;
        }
        try (OutputStream out = fs.create(new Path(folder, ARRAYS), true)) {
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
        try (OutputStream out = fs.create(new Path(folder, META), true)) {
            json.writerWithDefaultPrettyPrinter().writeValue(out, meta);
        }
    }

    /** The arrays in file order: weights, optimizer state, best weights (if any), per-step metrics. */
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

    /**
     * The checkpoint in {@code folder}.
     *
     * @throws OlderVersion when it was written by an earlier format version
     * @throws IOException  when it is damaged: a missing file, a wrong length or checksum, another format
     */
    static Checkpoint read(FileSystem fs, Path folder) throws IOException {
        JsonNode meta;
        try (InputStream in = fs.open(new Path(folder, META))) {
            meta = new ObjectMapper().readTree(in);
        }
        if (meta != null && FORMAT.equals(meta.path("format").asText()) && meta.path("format_version").asInt() < VERSION) {
            throw new OlderVersion(meta.path("format_version").asInt());
        }
        if (meta == null || !FORMAT.equals(meta.path("format").asText()) || meta.path("format_version").asInt() != VERSION) {
            throw new IOException("not a version " + VERSION + " " + FORMAT);
        }
        Map<String, double[]> arrays = arrays(fs, folder, meta);
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

    /** {@code arrays.bin} by name, after checking its length and SHA-256 against {@code meta}. */
    private static Map<String, double[]> arrays(FileSystem fs, Path folder, JsonNode meta) throws IOException {
        long total = 0;
        for (JsonNode a : meta.get("arrays")) {
            total += a.get("length").asLong() * 8;
        }
        Path arraysFile = new Path(folder, ARRAYS);
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
        return arrays;
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

    /** A checkpoint of an earlier format version. */
    static final class OlderVersion extends IOException {
        private static final long serialVersionUID = 1L;
        final int version;

        OlderVersion(int version) {
            super("format version " + version);
            this.version = version;
        }
    }
}
