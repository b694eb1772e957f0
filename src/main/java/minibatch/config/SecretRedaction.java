package minibatch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import minibatch.UserError;

/**
 * Hides secrets before settings or text reach a file or the console, by Spark's own rule (its
 * {@code Utils.redact}, which is not public API): a setting whose key or value the secret pattern
 * finds keeps its key and loses its whole value; in other text, what the string pattern finds is
 * replaced.
 *
 * <p>The secret pattern is Spark's default {@code spark.redaction.regex}, the storage keys that
 * default misses, and the user's own {@code spark.redaction.regex}, added to ours rather than
 * replacing it (a narrower setting must not bring a storage key back into the open). The string
 * pattern is the password of a {@code user:password@host} URL and the user's
 * {@code spark.redaction.string.regex}; in text, the value of every {@code name=value} whose name or
 * value the secret pattern finds is hidden too, as in a JDBC URL's {@code password=...}.
 */
public final class SecretRedaction {
    /** Spark's replacement text ({@code Utils.REDACTION_REPLACEMENT_TEXT}). */
    public static final String REDACTED = "*********(redacted)";
    public static final String SECRET_SETTING = "spark.redaction.regex";
    public static final String STRING_SETTING = "spark.redaction.string.regex";
    /** Spark 4's default {@code spark.redaction.regex}. */
    static final String SPARK_DEFAULT = "(?i)secret|password|token|access[.]?key";
    /**
     * Keys Spark's default misses: Azure's storage account keys ({@code fs.azure.account.key[.ACCOUNT]},
     * not {@code ...keyprovider}) and SAS tokens ({@code fs.azure.sas.*}), GCS's service account
     * private key and its id, S3A's {@code fs.s3a.encryption.key} and
     * {@code fs.s3a.server-side-encryption.key}; and "credential", which this job always hid.
     */
    static final String STORAGE_KEYS = "(?i)credential|account[.]key\\b|[.]sas[.]|private[.]key|encryption[.]key";
    /** The password of {@code scheme://user:password@host}: group 1 is kept, the rest up to '@' hidden. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@\\s:'\"]+:)[^/@\\s'\"]+(?=@)");
    /** A {@code name=value} in text: a URL's query, a JDBC URL's properties, an echoed {@code --conf}. */
    private static final Pattern NAME_VALUE = Pattern.compile("([^\\s=&;?'\"]+)=([^\\s&;'\"]*)");

    private final Pattern secret;
    private final Pattern userString;
    private final List<String> literals;

    private SecretRedaction(Pattern secret, Pattern userString, List<String> literals) {
        this.secret = secret;
        this.userString = userString;
        this.literals = literals;
    }

    /**
     * The redaction for a run configured with {@code settings} (their {@code spark.redaction.regex}
     * and {@code spark.redaction.string.regex}, if set, extend the built-in patterns).
     *
     * @throws UserError if one of those settings is not a regular expression
     */
    public static SecretRedaction of(Map<String, String> settings) {
        String user = settings.get(SECRET_SETTING);
        String secret = "(?:" + SPARK_DEFAULT + ")|(?:" + STORAGE_KEYS + ")";
        if (user != null && !user.isBlank()) {
            secret += "|(?:" + user + ")";
        }
        String userString = settings.get(STRING_SETTING);
        return new SecretRedaction(compile(SECRET_SETTING, secret),
                userString == null || userString.isBlank() ? null : compile(STRING_SETTING, userString), List.of());
    }

    private static Pattern compile(String setting, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UserError("--conf " + setting + ": not a regular expression (" + e.getDescription() + ")");
        }
    }

    /** The pattern of secret keys and values: Spark's default, the storage keys, and the user's own. */
    public String secretPattern() {
        return secret.pattern();
    }

    /** The built-in patterns alone. */
    public static SecretRedaction builtIn() {
        return of(Map.of());
    }

    /** True when the secret pattern finds {@code keyOrValue} (anywhere in it, as Spark's {@code findFirstIn}). */
    public boolean isSecret(String keyOrValue) {
        return keyOrValue != null && secret.matcher(keyOrValue).find();
    }

    /** {@code value} as it may be shown for {@code key}: hidden whole when key or value is secret. */
    public String value(String key, String value) {
        return isSecret(key) || isSecret(value) ? REDACTED : text(value);
    }

    /** A copy of {@code settings} (order kept) with every secret value hidden. */
    public Map<String, String> settings(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, value(k, v)));
        return out;
    }

    /** {@code text} with the string patterns' finds, and the values of secret {@code name=value}s, hidden. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String literal : literals) {
            out = out.replace(literal, REDACTED);
        }
        Matcher pairs = NAME_VALUE.matcher(out);
        StringBuilder hidden = new StringBuilder();
        while (pairs.find()) {
            boolean secretPair = !pairs.group(2).isEmpty() && !pairs.group(2).equals(REDACTED)
                    && (isSecret(pairs.group(1)) || isSecret(pairs.group(2)));
            pairs.appendReplacement(hidden, Matcher.quoteReplacement(
                    secretPair ? pairs.group(1) + "=" + REDACTED : pairs.group()));
        }
        pairs.appendTail(hidden);
        out = URL_PASSWORD.matcher(hidden).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        return userString == null ? out : userString.matcher(out).replaceAll(Matcher.quoteReplacement(REDACTED));
    }

    /**
     * Whether a value, hidden wherever it appears in text, could be a secret rather than a flag, a
     * number or a few letters: {@code spark.security.credentials.hive.enabled=false} must not hide
     * every "false" of a command's output, nor {@code ...renewalRatio=0.75} a loss of 0.7512. (Such
     * a value is still hidden wherever the text shows it as the setting's {@code key=value}.)
     */
    private static boolean mayBeSecret(String value) {
        return value.length() >= 4 && !value.matches("(?i)true|false|yes|none|null|enabled|disabled")
                && !value.matches("[-+]?[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?[a-zA-Z]{0,2}");
    }

    /**
     * This redaction, also hiding the secrets a command line {@code args} carries in its {@code --conf}
     * values wherever text quotes them: the value of a secret {@code KEY=VALUE}, a malformed value
     * the secret pattern finds (such as {@code "fs.s3a.secret.key ABC"}, a space for the '='), and the
     * argument after such a malformed key, which is likely its value.
     */
    public SecretRedaction withCommandLine(String... args) {
        List<String> found = new ArrayList<>(literals);
        for (int i = 0; i < args.length; i++) {
            String conf = args[i].startsWith("--conf=") ? args[i].substring("--conf=".length())
                    : args[i].equals("--conf") && i + 1 < args.length ? args[++i] : null;
            if (conf == null) {
                continue;
            }
            int eq = conf.indexOf('=');
            if (eq >= 0) {
                if (isSecret(conf) && mayBeSecret(conf.substring(eq + 1))) {
                    found.add(conf.substring(eq + 1));
                }
            } else if (isSecret(conf)) {
                found.add(conf);
                if (i + 1 < args.length && !args[i + 1].startsWith("-") && mayBeSecret(args[i + 1])) {
                    found.add(args[i + 1]);
                }
            }
        }
        found.removeIf(String::isEmpty);
        found.sort(Comparator.comparingInt(String::length).reversed()); // a longer secret before its parts
        return new SecretRedaction(secret, userString, List.copyOf(found));
    }
}
