package minibatch.distributed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import minibatch.config.StepMode;
import minibatch.data.cache.CachedImages;
import minibatch.data.idx.MnistFiles;
import minibatch.distributed.jobs.EvaluationJob;
import minibatch.distributed.sampling.MiniBatchSampler;
import minibatch.distributed.sampling.StepSeeds;
import minibatch.distributed.sums.GradientSums;
import minibatch.nn.Activation;
import minibatch.nn.Backprop;
import minibatch.nn.BatchBackprop;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import minibatch.nn.Pixels;
import minibatch.nn.layers.ImageShape;
import minibatch.nn.layers.LayerNetwork;
import minibatch.nn.layers.LayerPass;
import minibatch.nn.layers.LayerSpec;
import minibatch.testing.IdxFixtures.ImageSet;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With fraction 1.0 the distributed step sees every row, so its summed loss and gradient, divided
 * by N on the driver, must equal a single-threaded full-batch pass over the same rows.
 */
@ExtendWith(LocalSpark.class)
class DistributedEqualsLocalTest {
    @TempDir
    Path dir;

    /**
     * The 130-128 networks have a layer wide enough for matrix products of the batch
     * ({@code BatchBackprop}); with 600 rows on one partition the rows go through it in chunks.
     */
    @ParameterizedTest(name = "{0}, partitions={1}, hidden {2}-{3}, {4} rows")
    @CsvSource({"DATAFRAME,1,9,7,97", "DATAFRAME,3,9,7,97", "DATAFRAME,5,9,7,97", "BARRIER,1,9,7,97", "BARRIER,2,9,7,97",
        "DATAFRAME,3,130,128,97", "BARRIER,2,130,128,97", "DATAFRAME,1,130,128,600"})
    void fullBatchStepEqualsSingleThreadedGradient(StepMode mode, int partitions, int hidden1, int hidden2, int rows,
                                                   SparkSession spark) throws IOException {
        ImageSet train = IdxFixtures.synthetic(rows, 6, 6, 4, 21);
        IdxFixtures.writeMnistLayout(dir, train, IdxFixtures.synthetic(5, 6, 6, 4, 22), false);
        NetworkShape shape = NetworkShape.of(36, new int[] {hidden1, hidden2}, 4, Activation.SIGMOID);
        double[] params = Initializer.standardNormal(shape, new SplittableRandom(1));
        for (int i = 0; i < params.length; i++) {
            params[i] *= hidden1 > 100 ? 3 : 30; // larger weights than the 0.01 default, so every layer's gradient is sizeable
        }

        // single-threaded reference
        Backprop pass = new Backprop(shape);
        double[] localGrad = new double[shape.parameterCount()];
        double localLoss = 0;
        for (int r = 0; r < train.count(); r++) {
            Pixels.scale(train.image(r), pass.input());
            localLoss += pass.accumulate(params, train.labels()[r], localGrad);
        }

        CachedImages frame = CachedImages.load(spark,
                MnistFiles.train(dir.toString(), new Configuration(), 4), partitions, "test");
        try {
            // batch size = row count gives fraction 1.0: the sampled step sees every row
            MiniBatchSampler sampler = new MiniBatchSampler(frame, (int) frame.count(), false,
                    new StepSeeds(new SplittableRandom(2), null));
            assertEquals(1.0, sampler.fraction());
            GradientSums sums;
            try (StepRunner runner = StepRunners.create(mode, sampler, shape, 0.0, line -> {
                throw new AssertionError("no fallback expected: " + line);
            })) {
                sums = runner.sums(1, params, null);
            }
            assertEquals(train.count(), sums.count());
            double n = sums.count();
            assertEquals(localLoss / n, sums.lossSum() / n, 1e-12 * Math.abs(localLoss / n));
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < localGrad.length; i++) {
                double local = localGrad[i] / n;
                double distributed = sums.gradientSum()[i] / n;
                diff += (local - distributed) * (local - distributed);
                norm += local * local;
            }
            assertTrue(norm > 0);
            double relative = Math.sqrt(diff / norm);
            assertTrue(relative < 1e-12, "relative error " + relative);

            // the step's rows are every row: its loss sum is the evaluation's over the whole set
            var full = EvaluationJob.evaluate(frame, shape, params, "full batch");
            assertEquals(sums.count(), java.util.Arrays.stream(full.counts()).flatMapToLong(java.util.Arrays::stream).sum());
            assertEquals(sums.lossSum(), full.lossSum(), 1e-12 * Math.abs(full.lossSum()));
            assertEquals(hidden1 > 100, BatchBackprop.needed(shape));
        } finally {
            frame.release();
        }
    }
    /**
     * A layer stack (convolution, pooling, dense) in both step paths: the distributed sums of every
     * row, divided by N, equal a single-threaded pass of one row at a time.
     */
    @ParameterizedTest(name = "{0}, partitions={1}")
    @CsvSource({"DATAFRAME,1", "DATAFRAME,3", "BARRIER,2"})
    void fullBatchStepOfALayerStackEqualsSingleThreadedGradient(StepMode mode, int partitions, SparkSession spark)
            throws IOException {
        ImageSet train = IdxFixtures.synthetic(97, 6, 6, 4, 31);
        IdxFixtures.writeMnistLayout(dir, train, IdxFixtures.synthetic(5, 6, 6, 4, 32), false);
        LayerNetwork network = LayerNetwork.of(new ImageShape(6, 6, 1), LayerSpec.parse("conv3x3x4,relu,maxpool2,dense8,tanh"), 4);
        double[] params = Initializer.HE.initialize(network, new SplittableRandom(3));

        LayerPass pass = new LayerPass(network, 1);
        double[] localGrad = new double[network.parameterCount()];
        double localLoss = 0;
        for (int r = 0; r < train.count(); r++) {
            Pixels.scale(train.image(r), pass.input());
            localLoss = pass.accumulate(params, new int[] {train.labels()[r]}, 1, localGrad, localLoss, null);
        }

        CachedImages frame = CachedImages.load(spark, MnistFiles.train(dir.toString(), new Configuration(), 4), partitions,
                "test");
        try {
            MiniBatchSampler sampler = new MiniBatchSampler(frame, (int) frame.count(), false,
                    new StepSeeds(new SplittableRandom(2), null));
            GradientSums sums;
            try (StepRunner runner = StepRunners.create(mode, sampler, network, 0.0, line -> {
                throw new AssertionError("no fallback expected: " + line);
            })) {
                sums = runner.sums(1, params, null);
            }
            assertEquals(train.count(), sums.count());
            assertEquals(localLoss, sums.lossSum(), 1e-12 * Math.abs(localLoss));
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < localGrad.length; i++) {
                diff += (localGrad[i] - sums.gradientSum()[i]) * (localGrad[i] - sums.gradientSum()[i]);
                norm += localGrad[i] * localGrad[i];
            }
            assertTrue(norm > 0);
            assertTrue(Math.sqrt(diff / norm) < 1e-12, "relative error " + Math.sqrt(diff / norm));
            assertEquals(sums.lossSum(), EvaluationJob.evaluate(frame, network, params, "full batch").lossSum(),
                    1e-12 * Math.abs(sums.lossSum()));
        } finally {
            frame.release();
        }
    }
}
