package minibatch.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/** The word-valued params are real Spark ML params, built on whichever constructor this Spark has. */
class ChoiceParamTest {
    @Test
    void acceptsOnlyTheListedWords() {
        MiniBatchNetClassifier estimator = new MiniBatchNetClassifier();
        Param<String> activation = estimator.activation();
        assertEquals(estimator.uid(), activation.parent());
        assertEquals("activation", activation.name());
        assertTrue(activation.isValid().apply("relu").equals(Boolean.TRUE));
        assertFalse(activation.isValid().apply("softplus").equals(Boolean.TRUE));

        assertEquals("adam", estimator.setOptimizer("adam").getOrDefault(estimator.optimizer()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> estimator.setOptimizer("lbfgs"));
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
    }
}
