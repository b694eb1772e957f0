package minibatch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Command-line names of enum constants: lower case, parsed case-insensitively. */
public final class Names {
    private Names() {
    }

    /** {@code SIGMOID -> "sigmoid"}. */
    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} named {@code name}, ignoring case.
     *
     * @param noun what the constants are, for the message: "unknown NOUN 'x' (expected a, b or c)"
     * @throws IllegalArgumentException naming the valid choices
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String name, String noun) {
        E value = find(type, name);
        if (value != null) {
            return value;
        }
        throw new IllegalArgumentException("unknown " + noun + " '" + name + "' (expected " + choices(type) + ")");
    }

    /** The constant of {@code type} named {@code name} (ignoring case and surrounding blanks), or null. */
    public static <E extends Enum<E>> E find(Class<E> type, String name) {
        for (E v : type.getEnumConstants()) {
            if (v.name().equalsIgnoreCase(name.trim())) {
                return v;
            }
        }
        return null;
    }

    /** The command-line names of {@code type}'s constants as a message lists them: {@code "a, b or c"}. */
    public static <E extends Enum<E>> String choices(Class<E> type) {
        List<String> ids = Arrays.stream(type.getEnumConstants()).map(Names::id).toList();
        return ids.size() == 1 ? ids.get(0)
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
    }
}
