package minibatch.cli;

import java.util.Locale;
import java.util.function.Function;
import minibatch.UserError;

/** Parsing of option values whose parsers throw IllegalArgumentException (enum names and the like). */
final class OptionValues {
    private OptionValues() {
    }

    /** {@code --sampling}: Poisson (with replacement) or Bernoulli (without). */
    static boolean withReplacement(String mode) {
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "bernoulli" -> false;
            case "poisson" -> true;
            default -> throw new IllegalArgumentException("unknown sampling mode '" + mode + "' (expected bernoulli or poisson)");
        };
    }

    /** {@code parser(value)}, or a {@link UserError} "OPTION: what is wrong". */
    static <T> T parse(String option, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }
}
