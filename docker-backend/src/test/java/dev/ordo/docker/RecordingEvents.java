package dev.ordo.docker;

import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A {@link NodeEvents} that records what a backend reports, with the instant it arrived, and lets a test wait
 * (bounded) for a report. Used to drive {@link DockerBackend} directly, without the engine.
 */
final class RecordingEvents implements NodeEvents {
    /** One report. {@code detail} holds the reused flag, the latency, the output, the exit code or the reason. */
    record Recorded(Instant at, String node, String type, String detail, int exitCode, List<String> logTail,
                    Duration latency) {
        @Override
        public String toString() {
            return node + " " + type + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    private final List<Recorded> events = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();

    private synchronized void add(Recorded r) {
        events.add(r);
        notifyAll();
    }

    @Override
    public void started(String node, boolean reused) {
        add(new Recorded(Instant.now(), node, "started", reused ? "reused" : "", 0, List.of(), Duration.ZERO));
    }

    @Override
    public void healthy(String node, Duration detectionLatency) {
        add(new Recorded(Instant.now(), node, "healthy", detectionLatency.toString(), 0, List.of(),
                detectionLatency));
    }

    @Override
    public void unhealthy(String node, String lastOutput) {
        add(new Recorded(Instant.now(), node, "unhealthy", lastOutput, 0, List.of(), Duration.ZERO));
    }

    @Override
    public void exited(String node, int exitCode, List<String> logTail) {
        add(new Recorded(Instant.now(), node, "exited", "code " + exitCode, exitCode, List.copyOf(logTail),
                Duration.ZERO));
    }

    @Override
    public void failed(String node, String reason) {
        add(new Recorded(Instant.now(), node, "failed", reason, 0, List.of(), Duration.ZERO));
    }

    @Override
    public void stopped(String node) {
        add(new Recorded(Instant.now(), node, "stopped", "", 0, List.of(), Duration.ZERO));
    }

    @Override
    public synchronized void log(String node, String line) {
        logs.add(node + ": " + line);
    }

    synchronized List<String> logs() {
        return List.copyOf(logs);
    }

    synchronized List<Recorded> all() {
        return List.copyOf(events);
    }

    /** Waits for the first report of {@code node} whose type is one of {@code types}; fails after {@code limit}. */
    Recorded await(String node, Duration limit, String... types) {
        List<String> wanted = List.of(types);
        return awaitMatching(r -> r.node().equals(node) && wanted.contains(r.type()), limit,
                node + " " + wanted);
    }

    /** Waits for the n-th (from 1) report of {@code node} of {@code type}. */
    Recorded awaitNth(String node, String type, int n, Duration limit) {
        int[] seen = {0};
        return awaitMatching(r -> r.node().equals(node) && r.type().equals(type) && ++seen[0] == n, limit,
                node + " " + type + " #" + n);
    }

    private synchronized Recorded awaitMatching(Predicate<Recorded> p, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            for (Recorded r : events) {
                if (p.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no report '" + what + "' within " + limit + "; got " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    synchronized List<Recorded> of(String node) {
        return events.stream().filter(r -> Objects.equals(r.node(), node)).toList();
    }
}
