package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import minibatch.config.SecretRedaction;

/**
 * A command's standard output with secrets hidden line by line, so that no console line of any
 * command (a {@code --data} URL with a password, a "wrote ..." line) shows what the run's
 * redaction hides in its files. A line ends at '\n' or '\r' (the progress line rewrites itself
 * with '\r'); an explicit flush passes on the unfinished line, redacted as it stands.
 */
final class RedactedLines extends OutputStream {
    private final OutputStream out;
    private final SecretRedaction redaction;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    RedactedLines(OutputStream out, SecretRedaction redaction) {
        this.out = out;
        this.redaction = redaction;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n' || b == '\r') {
            emit();
            out.write(b);
            out.flush();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        out.flush();
    }

    private void emit() throws IOException {
        if (line.size() > 0) {
            // UTF-8 is whole here: '\n' and '\r' never occur inside a multi-byte character
            out.write(redaction.text(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
