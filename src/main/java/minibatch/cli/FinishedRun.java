package minibatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import minibatch.config.TrainingConfig;
import minibatch.model.ParameterDigest;
import minibatch.report.RunDirectory;
import minibatch.report.RunReport;
import minibatch.report.SummaryJson;
import minibatch.training.TrainingLoop;
import minibatch.training.TrainingResult;
import minibatch.training.update.LearningRateSchedule;
import org.apache.spark.sql.SparkSession;

/**
 * The end of a {@code train} run that finished: its run folder's files (summary, report, charts)
 * and its closing console lines.
 */
final class FinishedRun {
    private FinishedRun() {
    }

    /**
     * Writes the run folder.
     *
     * @param seconds the command's wall time so far, for summary.json
     */
    static void write(SparkSession spark, RunDirectory dir, TrainingConfig config, TrainingResult result,
                      double seconds) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (var entry : spark.sparkContext().getConf().getAll()) {
            settings.put(entry._1(), entry._2());
        }
        var summary = SummaryJson.build(config, result, settings, spark.version(), seconds);
        // the schedule the loop used: it depends only on the step and the run's step count
        var schedule = new LearningRateSchedule(config.learningRate(), config.schedule(),
                TrainingLoop.totalSteps(config, result.trainRows()));
        RunReport.write(dir, result, summary, schedule::rate, spark.sparkContext().hadoopConfiguration());
    }

    /** The batch sizes (with {@code batchStats}), the run's totals and the weights' SHA-256. */
    static void print(PrintStream console, TrainingConfig config, TrainingResult result, boolean batchStats,
                      RunDirectory dir) {
        var last = result.last();
        if (batchStats) {
            console.printf(Locale.ROOT, "batch rows (N per step): mean %.2f, min %d, max %d over %d steps (expected %d)%n",
                    result.meanBatchRows(), result.minBatchRows(), result.maxBatchRows(), result.steps().size(),
                    config.batchSize());
        }
        console.printf(Locale.ROOT, "done: %d steps in %.1f s (%.2f ms/step mean, %.2f median), %d empty batches; "
                        + "test accuracy %.4f, train accuracy %.4f%nweights_sha256 %s%nwrote %s%n",
                result.steps().size(), result.trainingSeconds(), result.meanStepMillis(), result.medianStepMillis(),
                result.emptyBatches(), last.testAccuracy(), last.trainAccuracy(),
                ParameterDigest.sha256(result.params()), dir.target());
    }
}
