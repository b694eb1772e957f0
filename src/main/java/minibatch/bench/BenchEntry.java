package minibatch.bench;

/**
 * One line of the benchmark table.
 *
 * @param unit         what one timed unit is ("step", "job" or "iteration")
 * @param testAccuracy NaN where it does not apply
 */
public record BenchEntry(String key, String description, String unit, Timings timings, double wallSeconds,
                         double testAccuracy) {
}
