package minibatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import minibatch.config.SecretRedaction;
import minibatch.config.TrainingConfig;
import minibatch.distributed.profile.StepProfile;
import minibatch.model.ParameterDigest;
import minibatch.nn.BatchBackprop;
import minibatch.nn.LayerKernel;
import minibatch.nn.NetworkShape;
import minibatch.nn.layers.LayerNetwork;
import minibatch.training.EpochRecord;
import minibatch.training.TrainingResult;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** {@code summary.json}: the configuration (secrets redacted), the final metrics and timings. */
public final class SummaryJson {
    private SummaryJson() {
    }

    /**
     * @param sparkSettings the run's Spark configuration; secret values are redacted here, as are
     *                      those of the run's {@code --conf} settings and any password in a path
     * @param jobSeconds    wall time of the whole job so far (session, loading, training)
     */
    public static ObjectNode build(TrainingConfig config, TrainingResult result, Map<String, String> sparkSettings,
                                   String sparkVersion, double jobSeconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        // the user's spark.redaction.regex may come with spark-submit (sparkSettings) or as --conf
        Map<String, String> all = new java.util.HashMap<>(sparkSettings);
        all.putAll(config.sparkConf());
        SecretRedaction redaction = SecretRedaction.of(all);
        EpochRecord last = result.last();
        root.put("final_train_accuracy", last.trainAccuracy());
        root.put("final_test_accuracy", last.testAccuracy());
        root.put("final_train_loss", last.trainLoss());
        root.put("final_test_loss", last.testLoss());
        root.put("steps", result.steps().size());
        root.put("epochs", last.epoch());
        root.put("steps_per_epoch", result.stepsPerEpoch());
        root.put("batch_size", config.batchSize());
        root.put("mean_batch_rows", result.meanBatchRows());
        root.put("min_batch_rows", result.minBatchRows());
        root.put("max_batch_rows", result.maxBatchRows());
        root.put("empty_batches", result.emptyBatches());
        root.put("wall_seconds", result.trainingSeconds());
        root.put("evaluation_seconds", result.evaluationSeconds());
        root.put("job_seconds", jobSeconds);
        root.put("ms_per_step", result.meanStepMillis());
        root.put("median_ms_per_step", result.medianStepMillis());
        root.put("weights_sha256", ParameterDigest.sha256(result.params()));
        if (result.inputChannels() != 1) {
            root.put("input_channels", result.inputChannels());
        }
        if (!result.classNames().isEmpty()) {
            var names = root.putArray("class_names");
            result.classNames().forEach(names::add);
        }
        root.put("train_rows", result.trainRows());
        root.put("validation_rows", result.validationRows());
        root.put("test_rows", result.testRows());
        if (!Double.isNaN(last.validationLoss())) {
            root.put("final_validation_loss", last.validationLoss());
            root.put("final_validation_accuracy", last.validationAccuracy());
        }
        if (result.restored() != null) {
            root.put("early_stopping_restored_step", result.restored().step());
        }
        root.put("partitions", result.partitions());
        root.put("sampler", result.sampler().id());
        // per layer: sparse_rows or dense_gemm; "blas" is the one netlib loaded in this (the driver's)
        // JVM, "executor_blas" what each executor's tasks loaded (resident steps report it)
        if (result.shape() instanceof NetworkShape dense) {
            root.put("kernels", LayerKernel.describe(dense));
        }
        if (result.shape().usesBlas()) {
            root.put("blas", BatchBackprop.blasName());
            if (!result.executorBlas().isEmpty()) {
                var executors = root.putArray("executor_blas");
                result.executorBlas().forEach(executors::add);
            }
        }

        if (result.profile().keySet().stream().anyMatch(StepProfile::isTraffic)) {
            // with --profile and resident steps: the driver's messages and their serialized bytes per step
            ObjectNode traffic = root.putObject("driver_traffic_per_step");
            result.profile().forEach((k, v) -> {
                if (StepProfile.isTraffic(k)) {
                    traffic.put(k.substring(k.indexOf(':') + 2).replace(' ', '_'), v);
                }
            });
        }

        ObjectNode cfg = root.putObject("config");
        cfg.put("data", redaction.text(config.data()));
        cfg.put("format", config.format().id());
        cfg.put("out", redaction.text(config.out()));
        cfg.put("network", result.shape().toString());
        if (result.shape() instanceof NetworkShape dense) {
            var layers = cfg.putArray("layer_sizes");
            for (int s : dense.sizes()) {
                layers.add(s);
            }
            cfg.put("activation", config.activation().id());
        } else if (result.shape() instanceof LayerNetwork stack) {
            cfg.put("layers", stack.spec());
        }
        cfg.put("batch_size", config.batchSize());
        cfg.put("learning_rate", config.learningRate());
        cfg.put("steps", config.steps());
        cfg.put("epochs", config.epochs());
        cfg.put("seed", config.seed());
        cfg.put("partitions", config.partitions());
        cfg.put("classes", result.shape().classes());
        cfg.put("initializer", config.initializer().id());
        var opt = config.optimizer();
        ObjectNode optimizer = cfg.putObject("optimizer");
        optimizer.put("name", opt.kind().id());
        switch (opt.kind()) {
            case MOMENTUM, NESTEROV -> optimizer.put("momentum", opt.momentum());
            case ADAGRAD -> optimizer.put("epsilon", opt.epsilon());
            case RMSPROP -> optimizer.put("rho", opt.rho()).put("epsilon", opt.epsilon());
            case ADAM -> optimizer.put("beta1", opt.beta1()).put("beta2", opt.beta2()).put("epsilon", opt.epsilon());
            case SGD -> { }
        }
        var sch = config.schedule();
        ObjectNode schedule = cfg.putObject("lr_schedule");
        schedule.put("name", sch.kind().id());
        switch (sch.kind()) {
            case STEP, EXPONENTIAL -> schedule.put("decay_steps", sch.decaySteps()).put("decay_rate", sch.decayRate());
            case COSINE -> schedule.put("min_rate", sch.minRate());
            case CONSTANT -> { }
        }
        schedule.put("warmup_steps", sch.warmupSteps());
        cfg.put("weight_decay", config.weightDecay());
        cfg.put("dropout", config.dropout());
        cfg.put("validation_fraction", config.validationFraction());
        cfg.put("early_stopping_patience", config.patience());
        cfg.put("sampler", config.sampler().id());
        cfg.put("sampling", config.withReplacement() ? "poisson (with replacement), fraction batch_size / train_rows"
                : "bernoulli (without replacement), fraction batch_size / train_rows");
        ObjectNode userConf = cfg.putObject("spark_conf");
        redaction.settings(config.sparkConf()).forEach(userConf::put);

        ObjectNode spark = root.putObject("spark");
        spark.put("version", sparkVersion);
        ObjectNode conf = spark.putObject("conf");
        redaction.settings(sparkSettings).forEach(conf::put);
        root.put("java_version", System.getProperty("java.version"));
        return root;
    }

    public static void write(FileSystem fs, Path file, ObjectNode summary) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, summary);
        }
    }

    /**
     * How the report and the compare page name a run's network, from summary.json's {@code config}:
     * a layer stack's spec ({@code conv5x5x16,relu,maxpool2}), or a dense network's sizes and
     * activation ({@code 784-50-10} {@code separator} {@code sigmoid}).
     */
    static String network(JsonNode config, String separator) {
        if (config.hasNonNull("layers")) {
            return config.path("layers").asText();
        }
        StringBuilder sizes = new StringBuilder();
        config.path("layer_sizes").forEach(n -> sizes.append(sizes.length() == 0 ? "" : "-").append(n.asInt()));
        return sizes + separator + config.path("activation").asText();
    }
}
