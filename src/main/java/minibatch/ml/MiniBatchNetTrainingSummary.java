package minibatch.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import minibatch.training.TrainingResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a model remembers of its training, as MLlib's models do ({@code summary().objectiveHistory()}):
 * the mean loss of every step and every evaluation's metrics. Saved and loaded with the model, as
 * {@code data/summary.json}.
 */
public final class MiniBatchNetTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String FILE = "summary.json";

    private final double[] objectiveHistory;
    private final long[] batchRows;
    private final double[] stepMillis;
    private final List<EpochRecord> epochs;
    private final String sampler;

    MiniBatchNetTrainingSummary(double[] objectiveHistory, long[] batchRows, double[] stepMillis, List<EpochRecord> epochs,
                                String sampler) {
        this.objectiveHistory = objectiveHistory.clone();
        this.batchRows = batchRows.clone();
        this.stepMillis = stepMillis.clone();
        this.epochs = List.copyOf(epochs);
        this.sampler = sampler;
    }

    static MiniBatchNetTrainingSummary of(TrainingResult result) {
        return new MiniBatchNetTrainingSummary(result.steps().stream().mapToDouble(StepRecord::loss).toArray(),
                result.steps().stream().mapToLong(StepRecord::batchRows).toArray(),
                result.steps().stream().mapToDouble(StepRecord::stepMillis).toArray(), result.epochs(), result.sampler().id());
    }

    /**
     * The mean cross-entropy of every step's mini-batch ({@code [steps]}, step 1 first; NaN for a
     * step whose sample was empty): the objective the optimizer saw.
     */
    public double[] objectiveHistory() {
        return objectiveHistory.clone();
    }

    /** N, the rows actually sampled, of every step ({@code [steps]}). */
    public long[] batchRows() {
        return batchRows.clone();
    }

    /** The wall time of every step ({@code [steps]}, milliseconds; evaluations excluded). */
    public double[] stepMillis() {
        return stepMillis.clone();
    }

    /** How the steps ran: {@code barrier} (resident tasks) or {@code dataframe} (one job per step); the same numbers either way. */
    public String sampler() {
        return sampler;
    }

    /** Steps trained. */
    public int totalIterations() {
        return objectiveHistory.length;
    }

    /**
     * Every evaluation (one per epoch and one after the last step): mean loss and accuracy over
     * the whole training set, and over the validation set when one was held out (NaN otherwise).
     */
    public List<EpochRecord> epochs() {
        return epochs;
    }

    void write(Path dir, Configuration conf) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("sampler", sampler);
        addAll(root.putArray("objective_history"), objectiveHistory);
        ArrayNode rows = root.putArray("batch_rows");
        for (long n : batchRows) {
            rows.add(n);
        }
        ArrayNode millis = root.putArray("step_ms");
        for (double ms : stepMillis) {
            millis.add(ms);
        }
        ArrayNode evaluations = root.putArray("epochs");
        for (EpochRecord e : epochs) {
            addAll(evaluations.addArray(), e.values());
        }
        Path file = new Path(dir, FILE);
        try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
            json.writeValue(out, root);
        }
    }

    /** Appends {@code values} to {@code array}, NaN (no value) as null: JSON has no NaN. */
    private static void addAll(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    /** The summary saved in {@code dir}, or null for a model saved without one. */
    static MiniBatchNetTrainingSummary read(Path dir, Configuration conf) throws IOException {
        Path file = new Path(dir, FILE);
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            return null;
        }
        JsonNode root;
        try (InputStream in = fs.open(file)) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode loss = root.path("objective_history");
        JsonNode rows = root.path("batch_rows");
        JsonNode millis = root.path("step_ms");
        if (!loss.isArray() || !rows.isArray() || !millis.isArray() || loss.size() != rows.size()
                || loss.size() != millis.size() || !root.path("epochs").isArray()) {
            throw new IOException(file + ": not a training summary");
        }
        double[] history = new double[loss.size()];
        long[] n = new long[rows.size()];
        double[] ms = new double[millis.size()];
        for (int i = 0; i < history.length; i++) {
            history[i] = number(loss.get(i));
            n[i] = rows.get(i).asLong();
            ms[i] = millis.get(i).asDouble();
        }
        List<EpochRecord> epochs = new ArrayList<>();
        for (JsonNode e : root.get("epochs")) {
            if (e.size() != EpochRecord.VALUES) {
                throw new IOException(file + ": an evaluation has " + e.size() + " values, expected " + EpochRecord.VALUES);
            }
            double[] values = new double[EpochRecord.VALUES];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(e.get(i));
            }
            epochs.add(EpochRecord.of(values));
        }
        return new MiniBatchNetTrainingSummary(history, n, ms, epochs, root.path("sampler").asText());
    }

    private static double number(JsonNode n) {
        return n.isNull() ? Double.NaN : n.asDouble();
    }
}
