package minibatch.distributed;

import java.util.Arrays;
import java.util.Locale;
import minibatch.UserError;
import org.apache.spark.sql.RuntimeConfig;

/** A {@code spark.minibatch.*} setting whose value names one constant of an enum, in any case. */
public final class SettingChoice {
    private SettingChoice() {
    }

    /**
     * The constant of {@code fallback}'s enum that {@code key} names, or {@code fallback} when it is
     * not set.
     *
     * @throws UserError naming the key, the values it takes and the value given, e.g.
     *                   {@code spark.minibatch.partialSums must be executor or task (got node)}
     */
    public static <E extends Enum<E>> E of(RuntimeConfig conf, String key, E fallback) {
        String value = conf.get(key, fallback.name().toLowerCase(Locale.ROOT));
        E[] choices = fallback.getDeclaringClass().getEnumConstants();
        for (E choice : choices) {
            if (choice.name().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        String[] names = Arrays.stream(choices).map(c -> c.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        String all = String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
        throw new UserError(key + " must be " + all + " (got " + value + ")");
    }
}
