package minibatch.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import minibatch.UserError;
import minibatch.config.SecretRedaction;

/** The redaction of a command's error lines: the run's own settings, and the secrets its command line carries. */
final class ErrorLineRedaction {
    private ErrorLineRedaction() {
    }

    /**
     * From the {@code spark.*} system properties (how spark-submit passes its {@code --conf}) and
     * the {@code --conf KEY=VALUE} arguments among {@code args}, which win as they do for the session.
     */
    static SecretRedaction of(String... args) {
        Map<String, String> settings = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("spark.")) {
                settings.put(k.toString(), v.toString());
            }
        });
        List<String> all = List.of(args);
        for (int i = 0; i < all.size(); i++) {
            String conf = all.get(i).startsWith("--conf=") ? all.get(i).substring("--conf=".length())
                    : all.get(i).equals("--conf") && i + 1 < all.size() ? all.get(i + 1) : "";
            int eq = conf.indexOf('=');
            if (eq > 0) {
                settings.put(conf.substring(0, eq), conf.substring(eq + 1));
            }
        }
        SecretRedaction redaction;
        try {
            redaction = SecretRedaction.of(settings);
        } catch (UserError notARegex) {
            // the command reports the bad setting itself; its error line still hides the built-in secrets
            redaction = SecretRedaction.builtIn();
        }
        return redaction.withCommandLine(args);
    }
}
