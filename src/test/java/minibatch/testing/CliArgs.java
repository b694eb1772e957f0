package minibatch.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command lines for tests: base options, with later (option, value) pairs replacing earlier ones. */
public final class CliArgs {
    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("--overwrite", "--batch-stats", "--profile", "--resume");

    private CliArgs() {
    }

    /** {@code base} then {@code extra}, each option once (the last value wins), flags kept. */
    public static String[] merged(List<String> base, String... extra) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(extra));
        for (int i = 0; i < all.size(); i++) {
            String option = all.get(i);
            if (FLAGS.contains(option)) {
                flags.add(option);
            } else {
                options.put(option, all.get(++i));
            }
        }
        List<String> args = new ArrayList<>();
        options.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }
}
