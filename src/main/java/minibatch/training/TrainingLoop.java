package minibatch.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.config.TrainingConfig;
import minibatch.data.CachedImages;
import minibatch.distributed.DistributedEvaluation;
import minibatch.distributed.DistributedStep;
import minibatch.distributed.EvaluationSums;
import minibatch.distributed.GradientSums;
import minibatch.distributed.MiniBatchSampler;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;

/**
 * The training loop: every step draws a mini-batch, gets summed loss and gradient from the
 * executors, divides once by N (the rows actually sampled) and updates the weights. Train and
 * test sets are evaluated after every epoch (rowCount / batchSize steps) and after the last step.
 */
public final class TrainingLoop {
    private final CachedImages train;
    private final CachedImages test;
    private final NetworkShape shape;
    private final TrainingConfig config;
    private final ProgressLog progress;

    public TrainingLoop(CachedImages train, CachedImages test, NetworkShape shape, TrainingConfig config,
                        ProgressLog progress) {
        this.train = train;
        this.test = test;
        this.shape = shape;
        this.config = config;
        this.progress = progress;
    }

    /** Steps in one epoch: one pass's worth of rows, at least 1. */
    public static long stepsPerEpoch(long rowCount, int batchSize) {
        return Math.max(1, rowCount / batchSize);
    }

    /** Total steps of a run: {@code --steps}, or {@code --epochs} × steps per epoch. */
    public static long totalSteps(TrainingConfig config, long rowCount) {
        return config.steps() > 0 ? config.steps() : config.epochs() * stepsPerEpoch(rowCount, config.batchSize());
    }

    public TrainingResult run() {
        // One root generator: the first split seeds the weights, the second every step's sample.
        SplittableRandom root = new SplittableRandom(config.seed());
        double[] params = Initializer.standardNormal(shape, root.split());
        MiniBatchSampler sampler = new MiniBatchSampler(train, config.batchSize(), root.split());
        DistributedStep distributedStep = new DistributedStep(sampler, shape);
        Sgd sgd = new Sgd(config.learningRate());

        long perEpoch = stepsPerEpoch(train.count(), config.batchSize());
        long total = totalSteps(config, train.count());
        List<StepRecord> steps = new ArrayList<>((int) Math.min(total, 1 << 20));
        List<EpochRecord> epochs = new ArrayList<>();
        double[] meanGradient = new double[shape.parameterCount()];
        long empty = 0;
        double evalNanos = 0;

        long start = System.nanoTime();
        progress.start();
        for (long step = 1; step <= total; step++) {
            long t0 = System.nanoTime();
            GradientSums sums = distributedStep.run(params, "train step " + step + "/" + total);
            long n = sums.count();
            double meanLoss = Double.NaN;
            if (n == 0) {
                empty++;
                progress.emptyBatch(step);
            } else {
                double[] gradientSum = sums.gradientSum();
                for (int i = 0; i < meanGradient.length; i++) {
                    meanGradient[i] = gradientSum[i] / n;
                }
                meanLoss = sums.lossSum() / n;
                sgd.update(params, meanGradient);
            }
            long t1 = System.nanoTime();
            steps.add(new StepRecord(step, meanLoss, n, (t1 - t0) / 1e6, (t1 - start) / 1e6));
            progress.step(step, meanLoss);
            if (step % perEpoch == 0 || step == total) {
                long e0 = System.nanoTime();
                EpochRecord record = evaluate(params, step, (double) step / perEpoch);
                double seconds = (System.nanoTime() - e0) / 1e9;
                evalNanos += seconds * 1e9;
                epochs.add(record);
                progress.evaluation(record, seconds);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(shape, params, steps, epochs, empty, perEpoch, train.count(),
                test.count(), train.partitions(), seconds, evalNanos / 1e9);
    }

    private EpochRecord evaluate(double[] params, long step, double epoch) {
        String label = String.format(java.util.Locale.ROOT, "epoch %.2f", epoch);
        EvaluationSums tr = DistributedEvaluation.evaluate(train, shape, params, "evaluate train " + label);
        EvaluationSums te = DistributedEvaluation.evaluate(test, shape, params, "evaluate test " + label);
        return new EpochRecord(epoch, step,
                tr.lossSum() / tr.count(), (double) tr.correct() / tr.count(),
                te.lossSum() / te.count(), (double) te.correct() / te.count());
    }
}
