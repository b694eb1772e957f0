package minibatch.ml;

import java.util.ArrayList;
import java.util.List;
import minibatch.testing.LocalSpark;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The estimator refuses bad training rows as Spark ML estimators do, before any training step: an
 * {@code IllegalArgumentException} naming the param, its column and a bad value, for labels that are
 * not whole numbers in 0..65535 (the largest int among them, which overflowed the class count) and for
 * NaN or infinite features, which would otherwise end as a diverged run.
 */
@ExtendWith(LocalSpark.class)
class EstimatorInputChecksTest {
    private static final StructType SCHEMA = new StructType().add("y", DataTypes.DoubleType, true)
            .add("v", SQLDataTypes.VectorType(), false);

    /** Four rows (y, v) over two partitions; row 2 has {@code label} and, at index 2, {@code value}. */
    private static Dataset<Row> rows(SparkSession spark, Double label, double value) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rows.add(RowFactory.create(r == 2 ? label : (Double) (double) (r % 2),
                    Vectors.dense(r, 1, r == 2 ? value : 3, 4)));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    private static MiniBatchNetClassifier classifier() {
        MiniBatchNetClassifier c = new MiniBatchNetClassifier().setHiddenLayers(3).setBatchSize(2).setSteps(5);
        c.setLabelCol("y");
        c.setFeaturesCol("v");
        return c;
    }

    @ParameterizedTest(name = "label {0}")
    @CsvSource(delimiter = '|', value = {
        "70000.0|70000.0",
        "2147483647.0|2.147483647E9",
        "-1.0|-1.0",
        "1.5|1.5",
        "NaN|NaN",
    })
    void aLabelOutside0To65535IsNamedWithItsColumn(double label, String shown, SparkSession spark) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(rows(spark, label, 3)));
        assertEquals("labelCol 'y' holds " + shown + " in 1 of 4 rows: labels must be whole numbers in 0..65535",
                e.getMessage());
    }

    @Test
    void aNullLabelIsNamedWithItsColumn(SparkSession spark) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(rows(spark, null, 3)));
        assertEquals("labelCol 'y' holds null in 1 of 4 rows: labels must be whole numbers in 0..65535", e.getMessage());
    }

    @ParameterizedTest(name = "feature {0}")
    @CsvSource({"NaN", "Infinity", "-Infinity"})
    void aFeatureThatIsNotFiniteIsNamedWithItsColumnAndIndex(double value, SparkSession spark) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(rows(spark, 1.0, value)));
        assertEquals("featuresCol 'v' holds " + value + " at index 2 in 1 of 4 rows: features must be finite numbers",
                e.getMessage());
    }

    @Test
    void theChecksComeBeforeAnythingIsCachedForTraining(SparkSession spark) {
        Dataset<Row> bad = rows(spark, 1.0, Double.NaN);
        int cached = spark.sparkContext().getPersistentRDDs().size();
        assertThrows(IllegalArgumentException.class, () -> classifier().fit(bad));
        assertEquals(cached, spark.sparkContext().getPersistentRDDs().size(), "nothing cached for training");
        // the same rows with finite features train
        assertEquals(4, classifier().fit(rows(spark, 1.0, 3)).numFeatures());
    }
}
