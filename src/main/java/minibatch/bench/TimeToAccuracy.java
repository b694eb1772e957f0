package minibatch.bench;

import java.io.PrintStream;
import minibatch.config.TrainingConfig;
import minibatch.training.EpochRecord;
import minibatch.training.StepRecord;
import minibatch.training.TrainingFromFiles;
import minibatch.training.TrainingResult;
import org.apache.spark.sql.SparkSession;

/** Trains a configuration and finds when its per-epoch test accuracy first reached a target. */
final class TimeToAccuracy {
    private TimeToAccuracy() {
    }

    /**
     * @param seconds  training-loop wall time up to the end of the evaluation that first reached the
     *                 target (earlier evaluations included; data loading excluded, as for MLlib's
     *                 fit time), or the whole loop when it was not reached
     * @param accuracy the test accuracy at that evaluation (or the last)
     */
    record Reached(boolean reached, double epoch, double seconds, double accuracy, TrainingResult result) {
        Timings timings(int warmup) {
            double[] ms = result.steps().stream().mapToDouble(StepRecord::stepMillis).toArray();
            return new Timings(ms, Math.min(warmup, ms.length / 10));
        }
    }

    static Reached run(SparkSession spark, TrainingConfig config, double target, PrintStream console) {
        TrainingResult r = TrainingFromFiles.train(spark, config, console);
        double evalSecondsPerEpoch = r.evaluationSeconds() / Math.max(1, r.epochs().size());
        for (EpochRecord e : r.epochs()) {
            if (e.testAccuracy() >= target) {
                StepRecord at = r.steps().get((int) e.step() - 1);
                return new Reached(true, e.epoch(), at.elapsedMillis() / 1e3 + evalSecondsPerEpoch, e.testAccuracy(), r);
            }
        }
        return new Reached(false, r.last().epoch(), r.trainingSeconds(), r.last().testAccuracy(), r);
    }
}
