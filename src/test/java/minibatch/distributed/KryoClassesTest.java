package minibatch.distributed;

import minibatch.distributed.sums.GradientSums;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the estimator checks before it trains on a session it did not configure. */
class KryoClassesTest {
    @Test
    void onlyStrictKryoWithoutTheJobsClassesIsReported() {
        assertTrue(KryoClasses.unregistered(new SparkConf(false)).isEmpty(), "Java serialization needs nothing");
        SparkConf kryo = new SparkConf(false).set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        assertTrue(KryoClasses.unregistered(kryo).isEmpty(), "Kryo without registrationRequired registers on the fly");
        SparkConf strict = kryo.clone().set("spark.kryo.registrationRequired", "true")
                .set(KryoClasses.SETTING, "com.example.Mine");
        assertTrue(KryoClasses.unregistered(strict).contains(GradientSums.class.getName()), KryoClasses.unregistered(strict).toString());
        strict.set(KryoClasses.SETTING, KryoClasses.mergedWith("com.example.Mine"));
        assertEquals(java.util.List.of(), KryoClasses.unregistered(strict));
    }
}
