package dev.ordo.tck;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node does in a contract scenario, whatever the backend: each backend's test makes its platform behave
 * so (the simulated backend by its scripts, Docker by stand-in containers, Kubernetes by its test kubelet).
 *
 * <p>A service runs until stopped: its health check passes from {@link #readyAfter()} after its start (never when not
 * {@link #passes()}); with {@link #exitsAfter()} it exits instead, with the first of {@link #exitCodes()}, after
 * that long. A job runs for {@link #exitsAfter()} (zero by default) and exits with the code of its attempt: the n-th
 * attempt with the n-th code, the last code repeating. Output lines are printed when a service becomes ready or
 * just before a node exits: {@link #stdout()} first, then {@link #stderr()}. With {@link #livenessFailsAfter()}, a
 * service's liveness check fails from that long after its first start; once restarted, it passes.
 *
 * <pre>{@code
 * Script.service().readyAfter(Duration.ofSeconds(1));
 * Script.job().exits(Duration.ofMillis(200), 1, 0).prints("migrating").printsToStderr("ERROR: boom");
 * }</pre>
 *
 * @param readyAfter how long after its start a service passes its health check
 * @param passes     whether a service's health check ever passes (not with {@link #neverReady()})
 * @param exitsAfter how long after its start the process exits; empty: a service runs until stopped
 * @param exitCodes  the exit code of each attempt, the last one repeating
 * @param stdout     lines printed on standard output
 * @param stderr     lines printed on standard error, after {@code stdout}
 * @param livenessFailsAfter when a service's liveness check starts failing in its first life; empty: never
 */
public record Script(Duration readyAfter, boolean passes, Optional<Duration> exitsAfter, List<Integer> exitCodes,
                     List<String> stdout, List<String> stderr, Optional<Duration> livenessFailsAfter) {
    public Script {
        Objects.requireNonNull(readyAfter, "readyAfter == null");
        Objects.requireNonNull(exitsAfter, "exitsAfter == null");
        exitCodes = List.copyOf(exitCodes);
        if (exitCodes.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one exit code");
        }
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
        Objects.requireNonNull(livenessFailsAfter, "livenessFailsAfter == null");
    }

    /** A script whose liveness check never fails. */
    public Script(Duration readyAfter, boolean passes, Optional<Duration> exitsAfter, List<Integer> exitCodes,
                  List<String> stdout, List<String> stderr) {
        this(readyAfter, passes, exitsAfter, exitCodes, stdout, stderr, Optional.empty());
    }

    /** This script, its liveness check failing from {@code after} its first start (passing once restarted). */
    public Script livenessFailsAfter(Duration after) {
        return new Script(readyAfter, passes, exitsAfter, exitCodes, stdout, stderr, Optional.of(after));
    }

    /** A service that is ready at once and runs until stopped. */
    public static Script service() {
        return new Script(Duration.ZERO, true, Optional.empty(), List.of(0), List.of(), List.of());
    }

    /** A job that exits 0 at once. */
    public static Script job() {
        return new Script(Duration.ZERO, true, Optional.of(Duration.ZERO), List.of(0), List.of(), List.of());
    }

    /** This script, its health check passing from {@code delay} after its start. */
    public Script readyAfter(Duration delay) {
        return new Script(delay, passes, exitsAfter, exitCodes, stdout, stderr, livenessFailsAfter);
    }

    /** This script, its health check never passing. */
    public Script neverReady() {
        return new Script(readyAfter, false, exitsAfter, exitCodes, stdout, stderr, livenessFailsAfter);
    }

    /** This script, exiting {@code after} its start with {@code codes} (per attempt of a job; a service takes the first). */
    public Script exits(Duration after, int... codes) {
        return new Script(readyAfter, passes, Optional.of(after),
                Arrays.stream(codes).boxed().toList(), stdout, stderr, livenessFailsAfter);
    }

    /** This script, printing {@code lines} on standard output. */
    public Script prints(String... lines) {
        return new Script(readyAfter, passes, exitsAfter, exitCodes, List.of(lines), stderr, livenessFailsAfter);
    }

    /** This script, printing {@code lines} on standard error after its standard output. */
    public Script printsToStderr(String... lines) {
        return new Script(readyAfter, passes, exitsAfter, exitCodes, stdout, List.of(lines), livenessFailsAfter);
    }

    /** The exit code of attempt {@code attempt} (from 1). */
    public int exitCode(int attempt) {
        return exitCodes.get(Math.min(Math.max(attempt, 1), exitCodes.size()) - 1);
    }
}
