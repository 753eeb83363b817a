package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How Ordo (or the platform) decides that a service is healthy: a probe plus Docker's timing semantics. Probes run
 * every {@code interval}; a probe taking longer than {@code timeout} fails; failures during {@code startPeriod} do
 * not count; after {@code retries} consecutive counted failures the service is unhealthy.
 *
 * <pre>{@code
 * HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(30)
 * HealthCheck.http(4000, "/")
 * HealthCheck.tcp(6379).startPeriod(Duration.ofSeconds(10))
 * HealthCheck.logLine("ready for connections")
 * HealthCheck.fromImage().interval(Duration.ofSeconds(10))   // the image's own HEALTHCHECK test
 * }</pre>
 *
 * <p>Defaults: interval 5 s, timeout 5 s, 3 retries, no start period.
 */
public record HealthCheck(Probe probe, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    /** Default probe interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default probe timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of consecutive failures that make a service unhealthy. */
    public static final int DEFAULT_RETRIES = 3;

    public HealthCheck {
        Objects.requireNonNull(probe, "probe == null");
        Objects.requireNonNull(interval, "interval == null");
        Objects.requireNonNull(timeout, "timeout == null");
        Objects.requireNonNull(startPeriod, "startPeriod == null");
    }

    /** Runs {@code argv} inside the container; exit code 0 means healthy. The argv is not passed to a shell. */
    public static HealthCheck command(String... argv) {
        return of(new Command(List.of(argv)));
    }

    /** Runs {@code script} with {@code sh -c}; use it only when you need a shell. */
    public static HealthCheck shell(String script) {
        return of(new Command(List.of("sh", "-c", script)));
    }

    /** An HTTP GET of {@code path} on the container's {@code port}; any 2xx or 3xx status means healthy. */
    public static HealthCheck http(int port, String path) {
        return of(new Http(port, path));
    }

    /** A TCP connect to the container's {@code port}; an accepted connection means healthy. */
    public static HealthCheck tcp(int port) {
        return of(new Tcp(port));
    }

    /** Healthy once a line of the container's output matches {@code regex} (a {@link java.util.regex.Pattern}). */
    public static HealthCheck logLine(String regex) {
        return of(new LogLine(regex));
    }

    /**
     * The test the image itself declares ({@code HEALTHCHECK} in its Dockerfile), as Compose keeps it for a
     * {@code healthcheck:} without {@code test}. The Docker backend reads the test from the image and probes it;
     * an image without one is an error naming the node. Kubernetes cannot read an image's check and refuses it,
     * naming the fix (give the test).
     */
    public static HealthCheck fromImage() {
        return of(new ImageDefined());
    }

    private static HealthCheck of(Probe probe) {
        return new HealthCheck(probe, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RETRIES, Duration.ZERO);
    }

    /** This check, probing every {@code interval}. */
    public HealthCheck interval(Duration interval) {
        return new HealthCheck(probe, interval, timeout, retries, startPeriod);
    }

    /** This check, failing a probe that takes longer than {@code timeout}. */
    public HealthCheck timeout(Duration timeout) {
        return new HealthCheck(probe, interval, timeout, retries, startPeriod);
    }

    /** This check, declaring the service unhealthy after {@code retries} consecutive counted failures. */
    public HealthCheck retries(int retries) {
        return new HealthCheck(probe, interval, timeout, retries, startPeriod);
    }

    /** This check, not counting failures during the first {@code startPeriod} after start. */
    public HealthCheck startPeriod(Duration startPeriod) {
        return new HealthCheck(probe, interval, timeout, retries, startPeriod);
    }

    /**
     * How long after a start a replica that has not passed a probe is unhealthy: Docker's count, which core uses on
     * every backend. Failures inside the start period do not count; the {@code retries}-th counted failure, at the
     * interval cadence, makes it unhealthy.
     *
     * <pre>{@code
     * HealthCheck.tcp(5432).interval(Duration.ofSeconds(2)).retries(3).unhealthyAfter();   // PT6S
     * }</pre>
     */
    public Duration unhealthyAfter() {
        long step = interval.toNanos();
        long firstCounted = Math.max(1, (startPeriod.toNanos() + step - 1) / step);
        return interval.multipliedBy(firstCounted + Math.max(1, retries) - 1);
    }

    /** What a health check probes. */
    public sealed interface Probe permits Command, Http, Tcp, LogLine, ImageDefined {
    }

    /** The image's own {@code HEALTHCHECK} test, read from the image by the platform that runs it. */
    public record ImageDefined() implements Probe {
    }

    /**
     * Runs an argv inside the container.
     *
     * @param argv the program and its arguments
     */
    public record Command(List<String> argv) implements Probe {
        public Command {
            argv = List.copyOf(argv);
        }
    }

    /**
     * An HTTP GET against the container.
     *
     * @param port the container port
     * @param path the request path, starting with {@code /}
     */
    public record Http(int port, String path) implements Probe {
        public Http {
            Objects.requireNonNull(path, "path == null");
        }
    }

    /**
     * A TCP connect against the container.
     *
     * @param port the container port
     */
    public record Tcp(int port) implements Probe {
    }

    /**
     * A regular expression matched against each line of the container's output.
     *
     * @param regex a {@link Pattern} expression
     */
    public record LogLine(String regex) implements Probe {
        public LogLine {
            Objects.requireNonNull(regex, "regex == null");
        }
    }
}
