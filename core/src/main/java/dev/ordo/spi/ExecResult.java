package dev.ordo.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a command run in a node's container ({@link NodeAccess#exec}) ended with: its exit code and its output lines,
 * stdout and stderr in the order printed.
 *
 * <pre>{@code
 * ExecResult r = NodeAccess.of(backend, "db").exec(deployment, "db", List.of("pg_isready"));
 * if (r.exitCode() != 0) { throw new AssertionError(r.output()); }
 * }</pre>
 *
 * @param exitCode the command's exit code
 * @param output   its output lines
 */
public record ExecResult(int exitCode, List<String> output) {
    public ExecResult {
        output = List.copyOf(Objects.requireNonNull(output, "output == null"));
    }

    /** The output as one string, lines joined by newlines. */
    public String text() {
        return String.join("\n", output);
    }
}
