package minibatch.cli;

import java.util.function.Function;
import minibatch.UserError;

/** Parsing of option values whose parsers throw IllegalArgumentException (enum names and the like). */
final class OptionValues {
    private OptionValues() {
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
