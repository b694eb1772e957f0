package minibatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's table on the console and its {@code bench.json}. */
public final class BenchReport {
    private BenchReport() {
    }

    /** Ratios of median ms per step: a/b, a/c, d/a, d1/a, c2/c and c0/c, for the entries present. */
    public static Map<String, Double> ratios(Map<String, BenchEntry> byKey) {
        Map<String, Double> r = new LinkedHashMap<>();
        ratio(r, "a_over_b", byKey.get("a"), byKey.get("b"));
        ratio(r, "a_over_c", byKey.get("a"), byKey.get("c"));
        ratio(r, "d_over_a", byKey.get("d"), byKey.get("a"));
        ratio(r, "d1_over_a", byKey.get("d1"), byKey.get("a"));
        ratio(r, "c2_over_c", byKey.get("c2"), byKey.get("c"));
        ratio(r, "c0_over_c", byKey.get("c0"), byKey.get("c"));
        return r;
    }

    static void ratio(Map<String, Double> out, String name, BenchEntry top, BenchEntry bottom) {
        if (top != null && bottom != null) {
            out.put(name, top.timings().median() / bottom.timings().median());
        }
    }

    public static void printTable(PrintStream out, List<BenchEntry> entries, Map<String, Double> ratios) {
        out.printf(Locale.ROOT, "%-3s %-82s %8s %10s %10s %10s %9s%n", "", "what", "unit", "median ms", "p90 ms",
                "wall s", "test acc");
        for (BenchEntry e : entries) {
            out.printf(Locale.ROOT, "%-3s %-82s %8s %10.2f %10.2f %10.1f %9s%n", e.key() + ")", e.description(), e.unit(),
                    e.timings().median(), e.timings().p90(), e.wallSeconds(),
                    Double.isNaN(e.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", e.testAccuracy()));
        }
        ratios.forEach((k, v) -> out.printf(Locale.ROOT, "%s = %.2f%n", k.replace("_over_", "/"), v));
    }

    public static ObjectNode json(List<BenchEntry> entries, Map<String, Double> ratios, Map<String, Object> context) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        context.forEach((k, v) -> root.set(k, mapper.valueToTree(v)));
        ObjectNode results = root.putObject("results");
        for (BenchEntry e : entries) {
            ObjectNode n = results.putObject(e.key());
            n.put("description", e.description());
            n.put("unit", e.unit());
            n.put("median_ms", e.timings().median());
            n.put("p90_ms", e.timings().p90());
            n.put("measured", e.timings().measuredSteps());
            n.put("warmup_excluded", e.timings().warmup());
            n.put("wall_seconds", e.wallSeconds());
            if (!Double.isNaN(e.testAccuracy())) {
                n.put("test_accuracy", e.testAccuracy());
            }
        }
        ObjectNode r = root.putObject("ratios");
        ratios.forEach(r::put);
        return root;
    }
}
