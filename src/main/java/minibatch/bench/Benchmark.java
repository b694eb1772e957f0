package minibatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import minibatch.config.StepMode;
import minibatch.config.TrainingConfig;
import minibatch.data.cache.CachedImages;
import minibatch.data.idx.IdxImageSet;
import minibatch.data.idx.MnistFiles;
import minibatch.nn.Activation;
import minibatch.nn.NetworkShape;
import minibatch.training.StepRecord;
import minibatch.training.TrainingFromFiles;
import minibatch.training.TrainingResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs the five benchmark entries in one Spark application, on the same data and master. */
public final class Benchmark {
    private Benchmark() {
    }

    /**
     * @param replicate      (a) again with every training image present this many times (≤ 1 skips)
     * @param targetAccuracy test accuracy (f) must reach with the best configuration (0 skips)
     * @param targetEpochs   epochs (f) may use to reach it
     * @param jvmWarmupSteps steps of (a)'s loop run first and not reported, so that no entry pays
     *                       for compiling Spark's and our code (0 = none); when not 0, the first-try
     *                       loop also runs once, unreported, before (d1) and (d)
     * @param largeSteps     steps of the large network's (h) and (hb), a tenth of them excluded as
     *                       warm-up (0 skips both)
     * @param f98Epochs      epochs (f98) may use to reach test accuracy 0.98 (0 skips it)
     */
    public record Settings(String data, int steps, int warmup, int naiveSteps, int mllibIterations, int partitions,
                           long seed, int replicate, double targetAccuracy, int targetEpochs, int jvmWarmupSteps,
                           int largeSteps, int f98Epochs) {
    }

    /** The test accuracy (f98) trains to. */
    static final double F98_TARGET = 0.98;

    /** @param extras measurements that are not per-step timings: cache size, driver heap, time to accuracy */
    public record Outcome(List<BenchEntry> entries, Map<String, Double> ratios, int partitions, Map<String, Object> extras) {
    }

    public static Outcome run(SparkSession spark, Settings s, PrintStream console) throws IOException {
        var hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = s.partitions() > 0 ? s.partitions() : spark.sparkContext().defaultParallelism();
        IdxImageSet trainSet = MnistFiles.train(s.data(), hadoop, 10);
        IdxImageSet testSet = MnistFiles.test(s.data(), hadoop, 10);
        NetworkShape shape = NetworkShape.of(trainSet.pixelsPerImage(), new int[] {50}, 10, Activation.SIGMOID);
        List<BenchEntry> entries = new ArrayList<>();
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("driver_heap_mb_after_gc_at_start", DriverHeap.usedAfterGcMb());

        TrainingConfig textbook = TrainingConfig.textbook(s.data(), "unused", s.steps(), s.seed(), partitions);
        TrainingConfig reference = textbook.withSampler(StepMode.DATAFRAME);
        if (s.jvmWarmupSteps() > 0) {
            // the reference path's steps cost ~20x more: a tenth of the steps compiles its code as well
            console.println("bench: JVM warm-up, " + s.jvmWarmupSteps() + " steps of (a) and " + s.jvmWarmupSteps() / 10
                    + " of (a1), not reported");
            double seconds = 0;
            for (TrainingConfig c : List.of(textbook, reference)) {
                int warmupSteps = c == textbook ? s.jvmWarmupSteps() : Math.max(1, s.jvmWarmupSteps() / 10);
                seconds += TrainingFromFiles.train(spark, TrainingConfig.textbook(s.data(), "unused", warmupSteps,
                        s.seed() + 1, partitions).withSampler(c.sampler()), console).trainingSeconds();
            }
            extras.put("jvm_warmup_seconds", seconds);
        }
        console.println("bench (a): our training, " + s.steps() + " steps");
        TrainingResult a = TrainingFromFiles.train(spark, textbook, console);
        double[] stepMillis = a.steps().stream().mapToDouble(StepRecord::stepMillis).toArray();
        entries.add(new BenchEntry("a", "our training step (" + a.sampler().id() + " sampler), textbook 784-50-10", "step",
                new Timings(stepMillis, s.warmup()), a.trainingSeconds(), a.last().testAccuracy()));
        console.println("bench (a1): the reference, one Spark job per step calling Dataset.sample, " + s.steps() + " steps");
        TrainingResult a1 = TrainingFromFiles.train(spark, reference, console);
        entries.add(new BenchEntry("a1", "(a) as one Spark job per step calling Dataset.sample (dataframe sampler)", "step",
                new Timings(a1.steps().stream().mapToDouble(StepRecord::stepMillis).toArray(), s.warmup()),
                a1.trainingSeconds(), a1.last().testAccuracy()));
        extras.put("a_and_a1_same_weights", java.util.Arrays.equals(a.params(), a1.params()));

        extras.put("driver_heap_mb_after_gc_after_a", DriverHeap.usedAfterGcMb());
        if (s.replicate() > 1) {
            console.println("bench (a x" + s.replicate() + "): our training on " + s.replicate() + "x the rows, " + s.steps()
                    + " steps");
            TrainingResult ak = TrainingFromFiles.train(spark, textbook.withReplicate(s.replicate()), console);
            entries.add(new BenchEntry("a" + s.replicate(), String.format("(a) on %d rows (%dx, shifted copies made on "
                    + "the executors)", ak.trainRows(), s.replicate()), "step",
                    new Timings(ak.steps().stream().mapToDouble(StepRecord::stepMillis).toArray(), s.warmup()),
                    ak.trainingSeconds(), ak.last().testAccuracy()));
        }

        console.println("bench (b): one thread, no Spark");
        // the image sets read into the driver for (b) are unreachable once it returns
        entries.add(SingleThreadLoop.run(DriverData.read(trainSet, hadoop), DriverData.read(testSet, hadoop), shape, 100,
                0.1, s.steps(), s.warmup(), s.seed()));

        console.println("bench (c): empty Spark jobs");
        entries.add(EmptySparkLoop.run(jsc, partitions, s.steps(), s.warmup()));

        Map<String, Double> measured = new LinkedHashMap<>();
        if (s.largeSteps() > 0) {
            TrainingConfig large = BenchConfigs.large(s.data(), s.largeSteps(), s.seed(), partitions);
            console.println("bench (h): 784-1024-1024-10 relu/he/adam, " + s.largeSteps() + " steps, profiled");
            entries.add(LargeNetwork.h(spark, large, s.largeSteps() / 10, extras, console));
            console.println("bench (hb): the same steps in one thread, no Spark");
            entries.add(LargeNetwork.hb(DriverData.read(trainSet, hadoop), large, s.largeSteps(), s.largeSteps() / 10));
            console.println("bench: the kernel against dgemm on the hidden layer's shapes");
            LargeNetwork.kernelOverDgemm(extras, measured);
        }
        console.println("bench (c0): empty Spark jobs through map(...).collect()");
        entries.add(EmptySparkLoop.runUsualApi(jsc, partitions, s.steps(), s.warmup()));
        console.println("bench (c2): empty Spark jobs moving a step's weights and gradient sums");
        entries.add(EmptySparkLoop.runWithPayload(jsc, partitions, s.steps(), s.warmup(), shape.parameterCount()));

        {
            long before = CachedSize.total(spark);
            CachedImages train = CachedImages.load(spark, trainSet, partitions, "bench train");
            long cached = CachedSize.total(spark) - before;
            long raw = train.count() * trainSet.pixelsPerImage();
            extras.put("cached_train_bytes", cached);
            extras.put("raw_train_pixel_bytes", raw);
            extras.put("cached_over_raw", (double) cached / raw);
            CachedImages test = CachedImages.load(spark, testSet, partitions, "bench test");
            Dataset<Row> rawVectors = VectorFrames.of(spark, train, false);
            console.println("bench (g): MiniBatchNetClassifier.fit on a (label, features) DataFrame of the same images, "
                    + s.steps() + " steps");
            entries.add(EstimatorFit.run(rawVectors, textbook.classes(), s.steps(), s.seed(), s.warmup()));
            extras.put("a_and_g_same_weights", java.util.Arrays.equals(a.params(), EstimatorFit.lastWeights()));
            rawVectors.unpersist();
            Dataset<Row> trainVectors = VectorFrames.of(spark, train, true);
            Dataset<Row> testVectors = VectorFrames.of(spark, test, true);
            train.release();
            test.release();
            if (s.naiveSteps() > 0) {
                int naiveWarmup = Math.min(s.warmup(), s.naiveSteps() / 10);
                if (s.jvmWarmupSteps() > 0) {
                    // as (a) gets its JVM warm-up: the DataFrame path's code is compiled before (d) and (d1) count
                    console.println("bench: JVM warm-up of the first-try loop, " + s.naiveSteps() + " steps, not reported");
                    NaiveDataFrameLoop.run(jsc, trainVectors, trainSet.count(), shape, 100, 0.1, s.naiveSteps(),
                            naiveWarmup, s.seed() + 1, true);
                }
                for (boolean codegen : new boolean[] {false, true}) {
                    console.println("bench (" + NaiveDataFrameLoop.entryKey(codegen) + "): first-try DataFrame loop, whole-stage "
                            + "codegen " + (codegen ? "on (Spark's default)" : "off") + ", " + s.naiveSteps() + " steps");
                    entries.add(NaiveDataFrameLoop.run(jsc, trainVectors, trainSet.count(), shape, 100, 0.1,
                            s.naiveSteps(), naiveWarmup, s.seed(), codegen));
                }
            }
            if (s.mllibIterations() > 0) {
                console.println("bench (e): MLlib MultilayerPerceptronClassifier, " + s.mllibIterations() + " iterations");
                entries.add(MllibBaseline.run(trainVectors, testVectors, shape.sizes(), s.mllibIterations(), s.seed()));
            }
            trainVectors.unpersist();
            testVectors.unpersist();
        }
        if (s.targetAccuracy() > 0) {
            console.println("bench (f): fastest configuration (784-128-10 relu, he, adam 0.004, batch 500) until test "
                    + "accuracy " + s.targetAccuracy() + ", at most " + s.targetEpochs() + " epochs");
            timeToAccuracy("f", BenchConfigs.fastest(s.data(), s.targetEpochs(), s.seed(), partitions),
                    s.targetAccuracy(), spark, s.warmup(), entries, extras, console);
        }
        if (s.f98Epochs() > 0) {
            TrainingConfig c = BenchConfigs.fastest98(s.data(), s.f98Epochs(), s.seed(), partitions);
            console.println("bench (f98): fastest configuration to 0.98 (784-" + c.hidden()[0] + "-10 relu, he, adam "
                    + c.learningRate() + " cosine, batch " + c.batchSize() + ") until test accuracy " + F98_TARGET
                    + ", at most " + s.f98Epochs() + " epochs");
            timeToAccuracy("f98", c, F98_TARGET, spark, s.warmup(), entries, extras, console);
        }
        extras.put("driver_heap_mb_after_gc_at_end", DriverHeap.usedAfterGcMb());
        Map<String, BenchEntry> byKey = new LinkedHashMap<>();
        entries.forEach(e -> byKey.put(e.key(), e));
        Map<String, Double> ratios = BenchReport.ratios(byKey);
        if (s.replicate() > 1) {
            BenchReport.ratio(ratios, "a" + s.replicate() + "_over_a", byKey.get("a" + s.replicate()), byKey.get("a"));
        }
        BenchReport.ratio(ratios, "a1_over_c", byKey.get("a1"), byKey.get("c"));
        BenchReport.ratio(ratios, "g_over_a", byKey.get("g"), byKey.get("a"));
        BenchReport.ratio(ratios, "d_over_a1", byKey.get("d"), byKey.get("a1"));
        BenchReport.ratio(ratios, "h_over_hb", byKey.get("h"), byKey.get("hb"));
        ratios.putAll(measured);
        if (extras.get("h_driver_share") instanceof Double share) {
            ratios.put("h_driver_share", share);
        }
        BenchEntry e = byKey.get("e");
        for (String key : List.of("f", "f98")) {
            BenchEntry f = byKey.get(key);
            if (e != null && f != null) {
                ratios.put(key + "_wall_over_e_wall", f.wallSeconds() / e.wallSeconds());
            }
        }
        BenchReport.printTable(console, entries, ratios);
        extras.forEach((k, v) -> console.println(k + " = " + v));
        return new Outcome(entries, ratios, partitions, extras);
    }

    /** Trains {@code config} until test accuracy {@code target}: entry {@code key}, and {@code KEY_reached_target}, {@code KEY_epoch_reached}. */
    private static void timeToAccuracy(String key, TrainingConfig config, double target, SparkSession spark, int warmup,
                                       List<BenchEntry> entries, Map<String, Object> extras, PrintStream console) {
        TimeToAccuracy.Reached r = TimeToAccuracy.run(spark, config, target, console);
        entries.add(new BenchEntry(key, "fastest configuration to test accuracy " + target
                + (r.reached() ? "" : " (NOT reached)"), "step", r.timings(warmup), r.seconds(), r.accuracy()));
        extras.put(key + "_reached_target", r.reached());
        extras.put(key + "_epoch_reached", r.epoch());
    }
}
