package minibatch.distributed.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import minibatch.data.LabeledImage;
import minibatch.data.cache.CachedImages;
import minibatch.distributed.barrier.BarrierStepsTest;
import minibatch.nn.Backprop;
import minibatch.nn.Initializer;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gallery's rows are exactly the n most confident mistakes, found here one row at a time. */
@ExtendWith(LocalSpark.class)
class ConfidentErrorsTest {
    @TempDir
    Path dir;

    @Test
    void theTopMistakesEqualALocalSearchOverEveryRow(SparkSession spark) throws IOException {
        CachedImages rows = BarrierStepsTest.rows(dir, spark, 3);
        try {
            double[] params = Initializer.standardNormal(BarrierStepsTest.SHAPE, new SplittableRandom(4));
            List<ConfidentErrors.Wrong> top = ConfidentErrors.top(rows, BarrierStepsTest.SHAPE, params, 7);

            List<ConfidentErrors.Wrong> all = new ArrayList<>();
            Backprop pass = new Backprop(BarrierStepsTest.SHAPE);
            List<LabeledImage> images = rows.images().collect();
            for (int i = 0; i < images.size(); i++) {
                LabeledImage image = images.get(i);
                image.input(pass.input());
                double[] probs = pass.forward(params);
                if (pass.predictedClass() != image.label()) {
                    all.add(new ConfidentErrors.Wrong(i, image.label(), pass.predictedClass(), probs[pass.predictedClass()],
                            image.pixels()));
                }
            }
            all.sort(ConfidentErrors.ORDER);
            assertTrue(all.size() > 7, "a random network makes many mistakes: " + all.size());
            assertEquals(7, top.size());
            for (int k = 0; k < 7; k++) {
                assertEquals(all.get(k).index(), top.get(k).index(), "rank " + k);
                assertEquals(all.get(k).probability(), top.get(k).probability(), 0.0);
                assertEquals(all.get(k).label(), top.get(k).label());
                assertArrayEquals(all.get(k).pixels(), top.get(k).pixels());
                assertTrue(top.get(k).label() != top.get(k).predicted());
            }
        } finally {
            rows.release();
        }
    }
}
