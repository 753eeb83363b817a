package dev.ordo.docker;

import dev.ordo.docker.internal.images.StandInImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the stand-ins of a rehearsal behave. In a rehearsal every node's image is replaced by a tiny local busybox
 * image that emulates the node's start-up: a service becomes ready after a delay (its health check, of whatever
 * kind, starts passing then, probed with the check's own timing), a job exits with a chosen code after a delay, and
 * every stand-in exits promptly on SIGTERM. A node built from a Dockerfile is not built; its networks, aliases and
 * restart limit stay. Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * DockerBackend rehearsal = DockerBackend.local().withStandIns(StandIns.defaults()
 *     .readyAfter(Duration.ofSeconds(1))                 // every service
 *     .readyAfter("database", Duration.ofSeconds(2))     // this one
 *     .exitCode("db-table-creator", 1)                   // rehearse a failing job
 *     .neverReady("queue"));                             // rehearse a readiness timeout
 * }</pre>
 */
public final class StandIns {
    /** The stand-in image's reference on the engine, imported by Ordo from busybox (see ensureStandInImage). */
    public static final String IMAGE = StandInImage.REFERENCE;
    /** How long a service's stand-in takes to become ready unless told otherwise. */
    public static final Duration DEFAULT_READY_AFTER = Duration.ofMillis(500);
    /** How long a job's stand-in runs unless told otherwise. */
    public static final Duration DEFAULT_RUN_FOR = Duration.ofMillis(500);

    private final Duration readyAfter;
    private final Duration runFor;
    private final Map<String, Duration> delays;
    private final Map<String, Integer> exitCodes;
    private final Set<String> neverReady;
    private final Map<String, Exit> exits;
    private final Map<String, List<String>> stdout;
    private final Map<String, List<String>> stderr;
    private final Map<String, List<String>> variables;
    private final Map<String, Duration> livenessFailures;

    /** A scripted exit: after a delay, with a code per attempt (the last repeating). */
    private record Exit(Duration after, List<Integer> codes) {
    }

    private StandIns(Duration readyAfter, Duration runFor, Map<String, Duration> delays,
                     Map<String, Integer> exitCodes, Set<String> neverReady) {
        this(readyAfter, runFor, delays, exitCodes, neverReady, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    private StandIns(Duration readyAfter, Duration runFor, Map<String, Duration> delays,
                     Map<String, Integer> exitCodes, Set<String> neverReady, Map<String, Exit> exits,
                     Map<String, List<String>> stdout, Map<String, List<String>> stderr,
                     Map<String, List<String>> variables, Map<String, Duration> livenessFailures) {
        this.readyAfter = readyAfter;
        this.livenessFailures = Map.copyOf(livenessFailures);
        this.runFor = runFor;
        this.delays = Map.copyOf(delays);
        this.exitCodes = Map.copyOf(exitCodes);
        this.neverReady = Set.copyOf(neverReady);
        this.exits = Map.copyOf(exits);
        this.stdout = Map.copyOf(stdout);
        this.stderr = Map.copyOf(stderr);
        this.variables = Map.copyOf(variables);
    }

    /**
     * These stand-ins, with {@code node}'s liveness check failing from {@code after} its first start on; once
     * restarted it passes (the stand-in remembers its first life in its container's filesystem).
     */
    public StandIns livenessFailsAfter(String node, Duration after) {
        Map<String, Duration> l = new HashMap<>(livenessFailures);
        l.put(Objects.requireNonNull(node, "node == null"), Objects.requireNonNull(after, "after == null"));
        return new StandIns(readyAfter, runFor, delays, exitCodes, neverReady, exits, stdout, stderr, variables, l);
    }

    /** When {@code node}'s liveness check starts failing in its first life, if it does. */
    public Optional<Duration> livenessFailsAfter(String node) {
        return Optional.ofNullable(livenessFailures.get(node));
    }

    /** Services ready after {@link #DEFAULT_READY_AFTER}, jobs exiting 0 after {@link #DEFAULT_RUN_FOR}. */
    public static StandIns defaults() {
        return new StandIns(DEFAULT_READY_AFTER, DEFAULT_RUN_FOR, Map.of(), Map.of(), Set.of());
    }

    /** These stand-ins, with every service not named elsewhere becoming ready {@code delay} after it starts. */
    public StandIns readyAfter(Duration delay) {
        return new StandIns(check(delay, "delay"), runFor, delays, exitCodes, neverReady,
                exits, stdout, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with service {@code node} becoming ready {@code delay} after it starts. */
    public StandIns readyAfter(String node, Duration delay) {
        Map<String, Duration> d = new HashMap<>(delays);
        d.put(Objects.requireNonNull(node, "node == null"), check(delay, "delay"));
        return new StandIns(readyAfter, runFor, d, exitCodes, neverReady,
                exits, stdout, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with every job not named elsewhere running for {@code duration}. */
    public StandIns runFor(Duration duration) {
        return new StandIns(readyAfter, check(duration, "duration"), delays, exitCodes, neverReady,
                exits, stdout, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with job {@code node} running for {@code duration}. */
    public StandIns runFor(String node, Duration duration) {
        return readyAfter(node, duration);
    }

    /** These stand-ins, with job {@code node} exiting with {@code code} (0..255) instead of 0. */
    public StandIns exitCode(String node, int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("exit code for stand-in '" + node + "' must be 0..255, got " + code);
        }
        Map<String, Integer> c = new HashMap<>(exitCodes);
        c.put(Objects.requireNonNull(node, "node == null"), code);
        return new StandIns(readyAfter, runFor, delays, c, neverReady,
                exits, stdout, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with service {@code node} never passing its health check. */
    public StandIns neverReady(String node) {
        Set<String> n = new HashSet<>(neverReady);
        n.add(Objects.requireNonNull(node, "node == null"));
        return new StandIns(readyAfter, runFor, delays, exitCodes, n,
                exits, stdout, stderr, variables, livenessFailures);
    }

    /**
     * These stand-ins, with {@code node} exiting {@code after} its start: a service with the first of
     * {@code codes} (a crash; its restart policy applies), a job with the code of its attempt (the n-th attempt the
     * n-th code, the last repeating).
     */
    public StandIns exits(String node, Duration after, int... codes) {
        Objects.requireNonNull(codes, "codes == null");
        if (codes.length == 0) {
            throw new IllegalArgumentException("give stand-in '" + node + "' at least one exit code");
        }
        for (int c : codes) {
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException("exit code for stand-in '" + node + "' must be 0..255, got " + c);
            }
        }
        Map<String, Exit> e = new HashMap<>(exits);
        e.put(Objects.requireNonNull(node, "node == null"), new Exit(check(after, "after"),
                Arrays.stream(codes).boxed().toList()));
        return new StandIns(readyAfter, runFor, delays, exitCodes, neverReady,
                e, stdout, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with {@code node} printing {@code lines} on stdout when ready, or just before it exits. */
    public StandIns prints(String node, String... lines) {
        Map<String, List<String>> o = new HashMap<>(stdout);
        o.put(Objects.requireNonNull(node, "node == null"), List.of(lines));
        return new StandIns(readyAfter, runFor, delays, exitCodes, neverReady,
                exits, o, stderr, variables, livenessFailures);
    }

    /** These stand-ins, with {@code node} printing {@code lines} on stderr, after its stdout lines. */
    public StandIns printsToStderr(String node, String... lines) {
        Map<String, List<String>> e = new HashMap<>(stderr);
        e.put(Objects.requireNonNull(node, "node == null"), List.of(lines));
        return new StandIns(readyAfter, runFor, delays, exitCodes, neverReady,
                exits, stdout, e, variables, livenessFailures);
    }

    /**
     * These stand-ins, with {@code node} printing {@code NAME=value} for each named environment variable with its
     * stdout lines: a rehearsal shows what each container of a triggered run really received. Name only variables
     * that hold no secret: the output goes to the listener and into failure reports.
     */
    public StandIns printsVariables(String node, String... names) {
        for (String n : names) {
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + n + "' is not an environment variable name; use letters,"
                        + " digits and underscores, not starting with a digit");
            }
        }
        Map<String, List<String>> v = new HashMap<>(variables);
        v.put(Objects.requireNonNull(node, "node == null"), List.of(names));
        return new StandIns(readyAfter, runFor, delays, exitCodes, neverReady,
                exits, stdout, stderr, v, livenessFailures);
    }

    /** The environment variables {@code node} prints, by name. */
    public List<String> variablesOf(String node) {
        return variables.getOrDefault(node, List.of());
    }

    /** When {@code node} exits by its script, if it does: {@code after} its start. */
    public Optional<Duration> exitsAfter(String node) {
        return Optional.ofNullable(exits.get(node)).map(Exit::after);
    }

    /** The exit code of attempt {@code attempt} (from 1) of {@code node}. */
    public int exitCodeFor(String node, int attempt) {
        Exit e = exits.get(node);
        if (e == null) {
            return exitCodeFor(node);
        }
        return e.codes().get(Math.min(Math.max(attempt, 1), e.codes().size()) - 1);
    }

    /** The lines {@code node} prints on stdout. */
    public List<String> stdoutOf(String node) {
        return stdout.getOrDefault(node, List.of());
    }

    /** The lines {@code node} prints on stderr. */
    public List<String> stderrOf(String node) {
        return stderr.getOrDefault(node, List.of());
    }

    /** The delay before the stand-in of {@code node} is ready (a service) or exits (a job). */
    public Duration delayFor(String node, boolean job) {
        return delays.getOrDefault(node, job ? runFor : readyAfter);
    }

    /** The exit code of the stand-in of job {@code node}. */
    public int exitCodeFor(String node) {
        return exitCodes.getOrDefault(node, 0);
    }

    /** Whether the stand-in of service {@code node} never becomes ready. */
    public boolean isNeverReady(String node) {
        return neverReady.contains(node);
    }

    private static Duration check(Duration d, String what) {
        Objects.requireNonNull(d, what + " == null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandIns s && s.readyAfter.equals(readyAfter) && s.runFor.equals(runFor)
                && s.delays.equals(delays) && s.exitCodes.equals(exitCodes) && s.neverReady.equals(neverReady)
                && s.exits.equals(exits) && s.stdout.equals(stdout) && s.stderr.equals(stderr)
                && s.variables.equals(variables) && s.livenessFailures.equals(livenessFailures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(readyAfter, runFor, delays, exitCodes, neverReady, exits, stdout, stderr, variables,
                livenessFailures);
    }

    @Override
    public String toString() {
        return "StandIns[readyAfter=" + readyAfter + ", runFor=" + runFor + ", delays=" + delays + ", exitCodes="
                + exitCodes + ", neverReady=" + neverReady + ", exits=" + exits + ", stdout=" + stdout.keySet()
                + ", stderr=" + stderr.keySet() + "]";
    }
}
