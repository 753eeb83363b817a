package dev.ordo.kubernetes;

import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Collects a backend's events in arrival order and lets a test block until one arrives. */
final class RecordingEvents implements NodeEvents {
    /** One event: its type ({@code started}, {@code healthy}, ...), node and details. */
    record Event(String type, String node, String detail, int exitCode, List<String> lines) {
        @Override
        public String toString() {
            return type + " " + node + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void started(String node, boolean reused) {
        add(new Event("started", node, "reused=" + reused, 0, List.of()));
    }

    @Override
    public void healthy(String node, Duration detectionLatency) {
        add(new Event("healthy", node, "", 0, List.of()));
    }

    @Override
    public void unhealthy(String node, String lastOutput) {
        add(new Event("unhealthy", node, lastOutput, 0, List.of()));
    }

    @Override
    public void exited(String node, int exitCode, List<String> logTail) {
        add(new Event("exited", node, "code=" + exitCode, exitCode, List.copyOf(logTail)));
    }

    @Override
    public void failed(String node, String reason) {
        add(new Event("failed", node, reason, 0, List.of()));
    }

    @Override
    public void stopped(String node) {
        add(new Event("stopped", node, "", 0, List.of()));
    }

    private synchronized void add(Event e) {
        events.add(e);
        notifyAll();
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    List<String> types(String node) {
        List<String> out = new ArrayList<>();
        events.stream().filter(e -> e.node().equals(node)).forEach(e -> out.add(e.type()));
        return out;
    }

    /** Blocks until an event of {@code type} for {@code node} arrives, or fails after {@code timeout}. */
    Event await(String type, String node, Duration timeout) {
        return await(e -> e.type().equals(type) && e.node().equals(node), type + " " + node, timeout);
    }

    Event await(String type, String node) {
        return await(type, node, Duration.ofSeconds(10));
    }

    synchronized Event await(Predicate<Event> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (match.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + what + "' within " + timeout + "; got " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
