package minibatch.ml;

import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The word-valued params are real Spark ML params, built on whichever constructor this Spark has. */
class ChoiceParamTest {
    @Test
    void acceptsOnlyTheListedWords() {
        MiniBatchNetClassifier estimator = new MiniBatchNetClassifier();
        Param<String> activation = estimator.activation();
        assertEquals(estimator.uid(), activation.parent());
        assertEquals("activation", activation.name());
        assertEquals(Boolean.TRUE, activation.isValid().apply("relu"));
        assertEquals(Boolean.FALSE, activation.isValid().apply("softplus"));

        assertEquals("adam", estimator.setOptimizer("adam").getOrDefault(estimator.optimizer()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> estimator.setOptimizer("lbfgs"));
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
    }
}
