package minibatch.distributed;

import java.util.ArrayList;
import java.util.List;
import minibatch.data.SerializedDataClasses;
import minibatch.distributed.jobs.ConfidentErrors;
import minibatch.distributed.sums.ConfusionSums;
import minibatch.distributed.sums.GradientSums;

/**
 * The job's classes that go through {@code spark.serializer}: task results (gradient and
 * evaluation sums, validation results) and cached rows when they spill to disk. Spark registers
 * them with Kryo when a user sets {@code spark.serializer} to Kryo, which
 * {@code spark.kryo.registrationRequired=true} demands; with Java serialization the list is unused.
 */
public final class KryoClasses {
    /** The Spark setting that lists classes to register, comma-separated. */
    public static final String SETTING = "spark.kryo.classesToRegister";

    private static final List<Class<?>> CLASSES = classes();

    private KryoClasses() {
    }

    private static List<Class<?>> classes() {
        List<Class<?>> classes = new ArrayList<>(List.of(GradientSums.class, ConfusionSums.class, long[][].class,
                ConfidentErrors.Wrong.class, ConfidentErrors.Wrong[].class));
        classes.addAll(SerializedDataClasses.list());
        return List.copyOf(classes);
    }

    /**
     * The job's classes that {@code conf} would refuse to serialize: all of them that
     * {@code spark.kryo.classesToRegister} lacks when Kryo runs with
     * {@code spark.kryo.registrationRequired=true}, else none.
     */
    public static List<String> unregistered(org.apache.spark.SparkConf conf) {
        boolean kryo = conf.get("spark.serializer", "").endsWith("KryoSerializer");
        if (!kryo || !conf.getBoolean("spark.kryo.registrationRequired", false)) {
            return List.of();
        }
        List<String> present = List.of(conf.get(SETTING, "").strip().split("\\s*,\\s*"));
        return CLASSES.stream().map(Class::getName).filter(c -> !present.contains(c)).toList();
    }

    /** {@code existing} (a comma-separated list, may be null or blank) with the job's classes added once. */
    public static String mergedWith(String existing) {
        StringBuilder names = new StringBuilder(existing == null ? "" : existing.strip());
        List<String> present = List.of(names.toString().split("\\s*,\\s*"));
        for (Class<?> c : CLASSES) {
            if (!present.contains(c.getName())) {
                names.append(names.length() == 0 ? "" : ",").append(c.getName());
            }
        }
        return names.toString();
    }
}
