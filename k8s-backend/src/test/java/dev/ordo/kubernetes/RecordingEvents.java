package dev.ordo.kubernetes;

import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Collects a backend's facts in arrival order, as per-node events, and lets a test block until one arrives. */
final class RecordingEvents implements NodeEvents {
    /** One event: its type ({@code started}, {@code healthy}, ...), node and details. */
    record Event(String type, String node, String detail, int exitCode, List<String> lines) {
        @Override
        public String toString() {
            return type + " " + node + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    /**
     * Records facts as the per-node events these tests read: the first start of a node ("started", with whether it
     * was kept), its first passing probe ("healthy"), an exit, a refusal ("failed"), a stop, and output lines.
     */
    @Override
    public synchronized void report(Fact f) {
        if (f instanceof Fact.Started s) {
            if (types(s.node()).stream().noneMatch(t -> t.equals("started"))) {
                add(new Event("started", s.node(), "reused=" + s.reused(), 0, List.of()));
            }
        } else if (f instanceof Fact.Probed p) {
            if (p.passed() && types(p.node()).stream().noneMatch(t -> t.equals("healthy"))) {
                add(new Event("healthy", p.node(), "", 0, List.of()));
            }
        } else if (f instanceof Fact.Exited x) {
            add(new Event("exited", x.node(), "code=" + x.exitCode(), x.exitCode(), List.copyOf(x.logTail())));
        } else if (f instanceof Fact.Refused r) {
            add(new Event("failed", r.node(), r.reason(), 0, List.of()));
        } else if (f instanceof Fact.Stopped s) {
            add(new Event("stopped", s.node(), "", 0, List.of()));
        } else if (f instanceof Fact.Output o) {
            output.add(o.node() + "#" + o.replica() + ": " + o.line());
        } else if (f instanceof Fact.Unreachable u) {
            add(new Event("unreachable", "", u.platform(), 0, List.of()));
        }
    }

    /** Output lines, as {@code node#replica: line}. */
    List<String> output() {
        return List.copyOf(output);
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
