package dev.ordo.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the runner's real command line in-process and keeps what the last command printed.
 *
 * <pre>{@code
 * CliSession cli = new CliSession();
 * assertThat(cli.run("plan", "--format", "dot")).isEqualTo(0);
 * assertThat(cli.out()).contains("digraph");
 * }</pre>
 */
final class CliSession {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs one command and returns its exit code; what earlier commands printed is dropped. */
    int run(String... args) {
        out.reset();
        err.reset();
        return OrdoCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
