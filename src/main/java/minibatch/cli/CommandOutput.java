package minibatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import minibatch.ReplacedFolder;
import minibatch.UserError;
import minibatch.WriteFailure;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The folder {@code convert} or {@code predict} writes. The command leaves a marker file
 * ({@value #MARKER}, holding the command's name) beside its files, and {@code --overwrite} replaces
 * a folder only when its marker names the same command and every other entry is one that command
 * writes; anything else is refused with one line, with or without {@code --overwrite}. The new
 * folder is written in full under a hidden sibling and put in place at {@link #commit()}
 * ({@link ReplacedFolder}): a failed run leaves the old folder as it was.
 */
final class CommandOutput {
    /** The marker file; its name starts with '_' so that Spark's readers skip it, as they skip _SUCCESS. */
    static final String MARKER = "_spark-minibatch";

    private final String command;
    private final String option;
    private final String given;
    private final FileSystem fs;
    private final Path target;
    private final Path staging;

    private CommandOutput(String command, String option, String given, FileSystem fs, Path target) {
        this.command = command;
        this.option = option;
        this.given = given;
        this.fs = fs;
        this.target = target;
        this.staging = ReplacedFolder.stagingFor(target);
    }

    /**
     * Checks that {@code command} may write {@code out} (given as {@code option}): not a file system
     * root, not an input or a folder above one, and either new, empty, or (with {@code overwrite})
     * the command's own earlier output, whose entries {@code ownEntry} recognises by name.
     *
     * @param inputs the command's inputs: option and path
     */
    static CommandOutput prepare(String command, String option, String out, boolean overwrite,
                                 Predicate<String> ownEntry, List<Map.Entry<String, String>> inputs, Configuration conf) {
        try {
            Path target = new Path(out);
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (target.getParent() == null) {
                throw new UserError(option + " " + out + ": cannot be the file system root");
            }
            requireOutsideInputs(option, out, inputs, conf);
            Path file = ReplacedFolder.fileAbove(fs, target);
            if (file != null) {
                throw new UserError(option + " " + out + ": " + file + " is a file, not a folder");
            }
            CommandOutput output = new CommandOutput(command, option, out, fs, target);
            output.requireReplaceable(overwrite, ownEntry);
            return output;
        } catch (IOException e) {
            throw new UserError(option + " " + out + ": " + UserError.firstLine(e), e);
        }
    }

    /** Refuses an output path equal to or above any of {@code inputs} (option and path): replacing it would delete the input. */
    static void requireOutsideInputs(String option, String out, List<Map.Entry<String, String>> inputs, Configuration conf) {
        try {
            String outUri = qualified(out, conf);
            for (var input : inputs) {
                String in = qualified(input.getValue(), conf);
                if (in.equals(outUri) || in.startsWith(outUri.endsWith("/") ? outUri : outUri + "/")) {
                    throw new UserError(option + " " + out + ": " + (in.equals(outUri) ? "is" : "holds") + " the input "
                            + input.getKey() + " " + input.getValue() + "; give a folder outside it");
                }
            }
        } catch (IOException e) {
            throw new UserError(option + " " + out + ": " + UserError.firstLine(e), e);
        }
    }

    /** {@link #requireOutsideInputs} before Spark starts, when every path is on the local file system. */
    static void precheckOutsideInputs(String option, String out, List<Map.Entry<String, String>> inputs) {
        if (out != null && local(out) && inputs.stream().allMatch(input -> local(input.getValue()))) {
            requireOutsideInputs(option, out, inputs, new Configuration());
        }
    }

    private static boolean local(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /**
     * {@code path} as {@code scheme://authority/absolute/path}: relative paths, {@code file:/x},
     * {@code file:///x} and a trailing slash all give one form, so that they compare as prefixes.
     */
    static String qualified(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        java.net.URI uri = p.getFileSystem(conf).makeQualified(p).toUri().normalize();
        String absolute = uri.getPath().length() > 1 && uri.getPath().endsWith("/")
                ? uri.getPath().substring(0, uri.getPath().length() - 1) : uri.getPath();
        return uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + absolute;
    }

    private void requireReplaceable(boolean overwrite, Predicate<String> ownEntry) throws IOException {
        if (!fs.exists(target)) {
            return;
        }
        FileStatus status = fs.getFileStatus(target);
        if (!status.isDirectory()) {
            throw new UserError(option + " " + given + ": is a file; " + command + " writes a folder");
        }
        FileStatus[] entries = fs.listStatus(target);
        if (entries.length == 0) {
            if (!overwrite) {
                throw new UserError(option + " " + given + ": exists (use --overwrite to replace it)");
            }
            return;
        }
        String refusal = "; --overwrite replaces only " + command + "'s own output: give a new folder";
        String writer = writtenBy();
        if (!command.equals(writer)) {
            throw new UserError(option + " " + given + ": " + (writer == null ? "was not written by " + command
                    + " (it has no " + MARKER + " file)" : "was written by " + writer + ", not by " + command) + refusal);
        }
        Optional<String> foreign = Arrays.stream(entries).map(e -> e.getPath().getName())
                .filter(name -> !name.equals(MARKER) && !name.startsWith(".") && !ownEntry.test(name)).findFirst();
        if (foreign.isPresent()) {
            throw new UserError(option + " " + given + ": holds files " + command + " did not write (such as "
                    + foreign.get() + ")" + refusal);
        }
        if (!overwrite) {
            throw new UserError(option + " " + given + ": exists (use --overwrite to replace it)");
        }
    }

    /** The command its marker names, or null without a marker. */
    private String writtenBy() throws IOException {
        Path marker = new Path(target, MARKER);
        if (!fs.exists(marker) || fs.getFileStatus(marker).isDirectory()) {
            return null;
        }
        try (InputStream in = fs.open(marker)) {
            return new String(in.readNBytes(64), StandardCharsets.UTF_8).strip();
        }
    }

    /** The folder to write into (not created: Spark's writers create it). */
    Path staging() {
        return staging;
    }

    /** Leaves the marker in the staged folder and puts it in place of the target. */
    void commit() {
        try {
            try (OutputStream out = fs.create(new Path(staging, MARKER), false)) {
                out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            }
            ReplacedFolder.swap(fs, staging, target);
        } catch (IOException e) {
            abort();
            throw WriteFailure.of(command + "'s output", target, e);
        }
    }

    /** Removes what was staged after {@code e}; returns what to throw: one line for a failed write. */
    RuntimeException failed(Exception e) {
        abort();
        return WriteFailure.during(command + "'s output", target, e);
    }

    private void abort() {
        try {
            fs.delete(staging, true);
        } catch (IOException ignored) {
            // best effort: a hidden leftover is never taken for output
        }
    }
}
