package minibatch.data.table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import minibatch.UserError;

/**
 * Which names make table columns pixels when pixels come one column each: every column but the
 * label named one shared prefix of letters and underscores followed by a whole number (Kaggle's
 * {@code pixel0..pixel783}, {@code pixel1..pixel784}, {@code p0..p3}, plain {@code 0..783}), or
 * {@code RxC} (row by column: {@code 1x1..28x28}). A column named otherwise (an {@code id}, a
 * {@code fold}, an unnamed index, {@code x7} among {@code pixelN}) is refused rather than read as one
 * more pixel.
 */
final class PixelColumnNames {
    private static final Pattern NUMBERED = Pattern.compile("([A-Za-z_]*)[0-9]+");
    private static final Pattern ROW_BY_COLUMN = Pattern.compile("[0-9]+[xX][0-9]+");

    private PixelColumnNames() {
    }

    /**
     * Checks that {@code names} (the columns other than the label, in order) are pixel columns: all
     * of one form, the one most of them have.
     *
     * @param places each column's place or type, for the message
     * @throws UserError naming the first column that is not a pixel column
     */
    static void check(String location, List<String> names, List<String> places) {
        Map<String, Integer> forms = new HashMap<>();
        for (String name : names) {
            String form = form(name);
            if (form != null) {
                forms.merge(form, 1, Integer::sum);
            }
        }
        String common = forms.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        for (int i = 0; i < names.size(); i++) {
            if (common == null || !common.equals(form(names.get(i)))) {
                throw refused(location, names.get(i), places.get(i));
            }
        }
    }

    /** A pixel name's form: "RxC", or its prefix (lower case) before the number; null for other names. */
    private static String form(String name) {
        String n = name.strip();
        if (ROW_BY_COLUMN.matcher(n).matches()) {
            return "RxC";
        }
        Matcher m = NUMBERED.matcher(n);
        return m.matches() ? "prefix:" + m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** The error for column {@code name} ({@code place}: its place or type) of the table at {@code location}. */
    static UserError refused(String location, String name, String place) {
        return new UserError(String.format("%s: column '%s' (%s) is neither the label nor a pixel column; pixel columns "
                + "are one 'features' or 'pixels' vector, binary or array, or columns named one prefix and a number "
                + "(pixel0, pixel1, ...) or RxC; leave other columns out of the table", location, name, place));
    }
}
