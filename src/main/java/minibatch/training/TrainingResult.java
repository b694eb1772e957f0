package minibatch.training;

import java.util.List;
import minibatch.config.StepMode;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.nn.Network;

/**
 * What a finished training run produced.
 *
 * @param params        final flat parameters ({@code [parameterCount]})
 * @param restored      with early stopping, the evaluation whose weights were kept; else null
 * @param sampler       how the steps ran: dataframe or barrier (auto resolved)
 * @param emptyBatches  steps whose sample held no row (update skipped)
 * @param trainingSeconds wall time of the whole loop, evaluations included
 * @param evaluationSeconds the part of it spent in evaluations
 * @param testConfusion confusion counts of the final {@code params} on the test set
 *                      ({@code [true class][predicted class]}), or null when not computed
 * @param confidentErrors the test rows the final {@code params} get wrong most confidently
 *                        (most confident first), empty when not computed
 * @param classNames    the name of each class ({@code [classes]}), empty where the data only number them
 * @param inputChannels values per pixel of the inputs: 1 (gray) or 3 (R, G, B)
 * @param executorBlas  for a network with a {@code dgemm} layer on resident steps, the BLAS each
 *                      executor loaded ({@code executor 1: JNIBLAS}); else empty
 * @param profile       with {@code --profile}, where the steps' time went: phase → total milliseconds
 *                      over all steps (as printed), then with resident steps the driver's messages
 *                      and bytes per step (keys starting "driver traffic per step"); empty otherwise
 */
public record TrainingResult(Network shape, double[] params, List<StepRecord> steps,
                             List<EpochRecord> epochs, EpochRecord restored, long emptyBatches, long stepsPerEpoch,
                             long trainRows, long validationRows, long testRows, int partitions, StepMode sampler,
                             double trainingSeconds, double evaluationSeconds, long[][] testConfusion,
                             List<ConfidentErrors.Wrong> confidentErrors, List<String> classNames,
                             int inputChannels, java.util.Map<String, Double> profile, List<String> executorBlas) {

    /** Without confident errors. */
    public TrainingResult(Network shape, double[] params, List<StepRecord> steps, List<EpochRecord> epochs,
                          EpochRecord restored, long emptyBatches, long stepsPerEpoch, long trainRows, long validationRows,
                          long testRows, int partitions, StepMode sampler, double trainingSeconds, double evaluationSeconds,
                          long[][] testConfusion) {
        this(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows, validationRows, testRows,
                partitions, sampler, trainingSeconds, evaluationSeconds, testConfusion, List.of(), List.of(), 1, java.util.Map.of(), List.of());
    }

    /** This result with the test set's confusion counts of the final parameters. */
    public TrainingResult withTestConfusion(long[][] counts) {
        return new TrainingResult(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows,
                validationRows, testRows, partitions, sampler, trainingSeconds, evaluationSeconds, counts, confidentErrors,
                classNames, inputChannels, profile, executorBlas);
    }

    /** This result with the test rows its final parameters get wrong most confidently. */
    public TrainingResult withConfidentErrors(List<ConfidentErrors.Wrong> errors) {
        return new TrainingResult(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows,
                validationRows, testRows, partitions, sampler, trainingSeconds, evaluationSeconds, testConfusion, errors,
                classNames, inputChannels, profile, executorBlas);
    }

    /** This result with the classes' names ({@code [classes]}; empty: none) and the inputs' values per pixel. */
    public TrainingResult withInput(List<String> names, int channels) {
        return new TrainingResult(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows,
                validationRows, testRows, partitions, sampler, trainingSeconds, evaluationSeconds, testConfusion,
                confidentErrors, List.copyOf(names), channels, profile, executorBlas);
    }

    /** This result with the profile's totals (phase → milliseconds over all steps). */
    public TrainingResult withProfile(java.util.Map<String, Double> totals) {
        return new TrainingResult(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows,
                validationRows, testRows, partitions, sampler, trainingSeconds, evaluationSeconds, testConfusion,
                confidentErrors, classNames, inputChannels, java.util.Map.copyOf(totals), executorBlas);
    }

    /** This result with the executors' BLAS ({@code executor 1: JNIBLAS}). */
    public TrainingResult withExecutorBlas(List<String> blas) {
        return new TrainingResult(shape, params, steps, epochs, restored, emptyBatches, stepsPerEpoch, trainRows,
                validationRows, testRows, partitions, sampler, trainingSeconds, evaluationSeconds, testConfusion,
                confidentErrors, classNames, inputChannels, profile, List.copyOf(blas));
    }

    /** Class {@code k}'s name, or its index where the classes have no names. */
    public String className(int k) {
        return k < classNames.size() ? classNames.get(k) : Integer.toString(k);
    }

    /**
     * The evaluation of the final {@link #params}: the last one, or with early stopping the one
     * with the lowest validation loss, whose weights were kept.
     */
    public EpochRecord last() {
        return restored != null ? restored : epochs.get(epochs.size() - 1);
    }

    /** Smallest N of a step. */
    public long minBatchRows() {
        return steps.stream().mapToLong(StepRecord::batchRows).min().orElse(0);
    }

    /** Largest N of a step. */
    public long maxBatchRows() {
        return steps.stream().mapToLong(StepRecord::batchRows).max().orElse(0);
    }

    /** Mean wall time of one step, evaluations excluded. */
    public double meanStepMillis() {
        return steps.stream().mapToDouble(StepRecord::stepMillis).average().orElse(Double.NaN);
    }

    /** Median wall time of one step, evaluations excluded. */
    public double medianStepMillis() {
        double[] ms = steps.stream().mapToDouble(StepRecord::stepMillis).sorted().toArray();
        if (ms.length == 0) {
            return Double.NaN;
        }
        int mid = ms.length / 2;
        return ms.length % 2 == 1 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
    }

    /** Mean of N, the rows actually sampled per step. */
    public double meanBatchRows() {
        return steps.stream().mapToLong(StepRecord::batchRows).average().orElse(Double.NaN);
    }
}
