package minibatch.distributed.barrier;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import minibatch.data.DataFormat;
import minibatch.data.ImageSource;
import minibatch.data.ImageSources;
import minibatch.data.table.TableExport;
import minibatch.distributed.MinibatchSettings;
import minibatch.distributed.TaskHook;
import minibatch.ml.MiniBatchNetClassificationModel;
import minibatch.ml.MiniBatchNetClassifier;
import minibatch.nn.Pixels;
import minibatch.testing.IdxFixtures;
import minibatch.testing.ListenerBus;
import minibatch.testing.LocalSpark;
import minibatch.testing.TaskFaults;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Barrier fits that find their task slots taken in one application ({@code local[2]}: two slots,
 * and each fit's resident stage needs both) wait for them, then go on with one job per step;
 * they neither hang nor fail, and each ends with the weights it has alone. Every wait is bounded
 * by 3 s here ({@code spark.minibatch.stepTimeout}); the tasks' hook slows each resident step by
 * 100 ms, so that a fit's segment (an epoch of 30 steps) holds the slots about as long as that.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentFitsTest {
    @TempDir
    static Path dir;
    Dataset<Row> train;

    @BeforeAll
    void slowStepsOnCachedRows(SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 300, 20, 9);
        ImageSource trainSet = ImageSources.open(spark, data.toString(), "--data", DataFormat.IDX, "train", 0, 0,
                ImageSources.Use.TRAINING);
        train = TableExport.features(spark, trainSet, 2).cache();
        assertEquals(300, train.count());
        spark.conf().set(MinibatchSettings.STEP_TIMEOUT, "3s");
        TaskFaults.inject(spark, new TaskHook() {
            @Override
            public void midStep(long step) throws InterruptedException {
                Thread.sleep(100);
            }
        });
    }

    @AfterAll
    void back(SparkSession spark) {
        TaskFaults.clear(spark);
        spark.conf().unset(MinibatchSettings.STEP_TIMEOUT);
        train.unpersist();
    }

    /** 300 rows in batches of 10: epochs of 30 steps, each a segment. */
    private static MiniBatchNetClassifier net(long seed, int steps) {
        return new MiniBatchNetClassifier().setHiddenLayers(6).setBatchSize(10).setSteps(steps).setSeed(seed)
                .setLearningRate(0.5).setFeatureScale(Pixels.SCALE);
    }

    @Test
    void aFitWhoseSlotsAnotherJobHoldsGoesOnWithOneJobPerStepAndItsOwnWeights(SparkSession spark) {
        MiniBatchNetClassificationModel alone = net(3, 20).fit(train);
        assertEquals("barrier", alone.summary().sampler());
        // another job of the application (a notebook's) holds one of the two slots for a while
        JavaFutureAction<Void> holder = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(1), 1).foreachAsync(x -> Thread.sleep(60_000));
        try {
            ListenerBus.awaitUntil(() -> TaskSlots.free(spark.sparkContext()) == 1);
            MiniBatchNetClassificationModel squeezed = assertTimeoutPreemptively(Duration.ofMinutes(2),
                    () -> net(3, 20).fit(train));
            assertEquals("dataframe", squeezed.summary().sampler(), "one job per step on the free slot");
            assertArrayEquals(alone.weights(), squeezed.weights(), 0.0, "the weights of the fit alone");
        } finally {
            holder.cancel(true);
        }
    }

    @Test
    void twoBarrierFitsAtOnceEachEndWithTheirOwnWeights() {
        MiniBatchNetClassificationModel aloneA = net(1, 60).fit(train);
        MiniBatchNetClassificationModel aloneB = net(2, 60).fit(train);
        List<MiniBatchNetClassificationModel> together = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            var a = CompletableFuture.supplyAsync(() -> net(1, 60).fit(train));
            var b = CompletableFuture.supplyAsync(() -> net(2, 60).fit(train));
            return List.of(a.get(3, TimeUnit.MINUTES), b.get(3, TimeUnit.MINUTES));
        });
        assertArrayEquals(aloneA.weights(), together.get(0).weights(), 0.0, "fit 1: its weights alone");
        assertArrayEquals(aloneB.weights(), together.get(1).weights(), 0.0, "fit 2: its weights alone");
    }
}
