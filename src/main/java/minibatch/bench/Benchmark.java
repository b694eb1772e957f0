package minibatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import minibatch.config.TrainingConfig;
import minibatch.data.CachedImages;
import minibatch.data.IdxImageSet;
import minibatch.data.ImageCache;
import minibatch.data.MnistFiles;
import minibatch.data.SamplingPath;
import minibatch.nn.Activation;
import minibatch.nn.NetworkShape;
import minibatch.training.StepRecord;
import minibatch.training.TrainingJob;
import minibatch.training.TrainingResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs the five benchmark entries in one Spark application, on the same data and master. */
public final class Benchmark {
    private Benchmark() {
    }

    public record Settings(String data, int steps, int warmup, int naiveSteps, int mllibIterations, int partitions,
                           long seed) {
    }

    public record Outcome(List<BenchEntry> entries, Map<String, Double> ratios, int partitions) {
    }

    public static Outcome run(SparkSession spark, Settings s, PrintStream console) throws IOException {
        var hadoop = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = s.partitions() > 0 ? s.partitions() : spark.sparkContext().defaultParallelism();
        IdxImageSet trainSet = MnistFiles.train(s.data(), hadoop, 10);
        IdxImageSet testSet = MnistFiles.test(s.data(), hadoop, 10);
        NetworkShape shape = NetworkShape.of(trainSet.pixelsPerImage(), new int[] {50}, 10, Activation.SIGMOID);
        List<BenchEntry> entries = new ArrayList<>();

        console.println("bench (a): our training, " + s.steps() + " steps");
        TrainingConfig textbook = TrainingConfig.textbook(s.data(), "unused", s.steps(), s.seed(), partitions);
        TrainingResult a = TrainingJob.train(spark, textbook, console);
        double[] stepMillis = a.steps().stream().mapToDouble(StepRecord::stepMillis).toArray();
        entries.add(new BenchEntry("a", "our training step (rdd sampler), textbook 784-50-10", "step",
                new Timings(stepMillis, s.warmup()), a.trainingSeconds(), a.last().testAccuracy()));

        console.println("bench (b): one thread, no Spark");
        DriverData trainRows = DriverData.read(trainSet, hadoop);
        DriverData testRows = DriverData.read(testSet, hadoop);
        entries.add(SingleThreadLoop.run(trainRows, testRows, shape, 100, 0.1, s.steps(), s.warmup(), s.seed()));

        console.println("bench (c): empty Spark jobs");
        entries.add(EmptySparkLoop.run(jsc, partitions, s.steps(), s.warmup()));

        if (s.naiveSteps() > 0 || s.mllibIterations() > 0) {
            CachedImages train = ImageCache.load(spark, trainSet, partitions, SamplingPath.RDD, "bench train");
            CachedImages test = ImageCache.load(spark, testSet, partitions, SamplingPath.RDD, "bench test");
            Dataset<Row> trainVectors = VectorFrames.of(spark, train);
            Dataset<Row> testVectors = VectorFrames.of(spark, test);
            train.release();
            test.release();
            if (s.naiveSteps() > 0) {
                console.println("bench (d): first-try DataFrame loop, " + s.naiveSteps() + " steps");
                int naiveWarmup = Math.min(s.warmup(), s.naiveSteps() / 10);
                entries.add(NaiveDataFrameLoop.run(jsc, trainVectors, trainSet.count(), shape, 100, 0.1, s.naiveSteps(),
                        naiveWarmup, s.seed()));
            }
            if (s.mllibIterations() > 0) {
                console.println("bench (e): MLlib MultilayerPerceptronClassifier, " + s.mllibIterations() + " iterations");
                entries.add(MllibBaseline.run(trainVectors, testVectors, shape.sizes(), s.mllibIterations(), s.seed()));
            }
            trainVectors.unpersist();
            testVectors.unpersist();
        }
        Map<String, BenchEntry> byKey = new LinkedHashMap<>();
        entries.forEach(e -> byKey.put(e.key(), e));
        Map<String, Double> ratios = BenchReport.ratios(byKey);
        BenchReport.printTable(console, entries, ratios);
        return new Outcome(entries, ratios, partitions);
    }
}
