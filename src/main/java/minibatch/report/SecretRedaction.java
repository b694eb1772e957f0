package minibatch.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Hides the values of Spark/Hadoop settings that hold secrets before they reach a file or the console. */
public final class SecretRedaction {
    public static final String REDACTED = "*********(redacted)";
    private static final String[] MARKERS = {"secret", "password", "token", "credential", "access.key"};

    private SecretRedaction() {
    }

    /** True for keys such as {@code spark.hadoop.fs.s3a.secret.key} or {@code ...access.key}. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String m : MARKERS) {
            if (k.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code settings} (order kept) with every secret value replaced. */
    public static Map<String, String> redact(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, isSecret(k) ? REDACTED : v));
        return out;
    }
}
