package minibatch.training;

import java.util.Locale;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.jobs.EvaluationJob;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.nn.Network;

/**
 * The evaluation {@link TrainingLoop} runs after every epoch and after its last step: one
 * {@link EvaluationJob} over each of the training, validation and test sets at the current weights,
 * as one {@link EpochRecord} of mean losses and accuracies.
 */
final class EpochEvaluation {
    private final CachedImages train;
    private final CachedImages validation;
    private final CachedImages test;
    private final Network shape;

    /**
     * @param validation held-out rows, or null
     * @param test       test rows, or null
     */
    EpochEvaluation(CachedImages train, CachedImages validation, CachedImages test, Network shape) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.shape = shape;
    }

    /** @param testCounts the test set's confusion counts ({@code [true class][predicted class]}), or null */
    record Result(EpochRecord record, long[][] testCounts) {
    }

    /** Evaluates every set at {@code params} ({@code [parameterCount]}). */
    Result at(double[] params, long step, double epoch) {
        String label = String.format(Locale.ROOT, "epoch %.2f", epoch);
        SetResult tr = evaluated(train, params, "evaluate train " + label);
        SetResult va = validation == null ? SetResult.NONE : evaluated(validation, params, "evaluate validation " + label);
        SetResult te = test == null ? SetResult.NONE : evaluated(test, params, "evaluate test " + label);
        return new Result(new EpochRecord(epoch, step, tr.meanLoss(), tr.accuracy(), va.meanLoss(), va.accuracy(),
                te.meanLoss(), te.accuracy()), te.counts());
    }

    /** @param counts confusion counts ({@code [true class][predicted class]}), or null for a set not evaluated */
    private record SetResult(double meanLoss, double accuracy, long[][] counts) {
        static final SetResult NONE = new SetResult(Double.NaN, Double.NaN, null);
    }

    /** The loss sum over the set divided by its row count, and the accuracy. */
    private SetResult evaluated(CachedImages rows, double[] params, String jobDescription) {
        ConfusionSums sums = EvaluationJob.evaluate(rows, shape, params, jobDescription);
        long[][] counts = sums.counts();
        ClassificationMetrics metrics = new ClassificationMetrics(counts);
        return new SetResult(sums.lossSum() / metrics.total(), metrics.accuracy(), counts);
    }
}
