package dev.ordo.dataflow;

import dev.ordo.spi.TimeSource;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The engine's timers (readiness deadlines, job deadlines, restart waits, health budgets), on the backend's clock,
 * so that they run in virtual time on the simulated backend. Single-threaded, like the engine.
 */
final class Timers {

    /** A scheduled action; cancelling it makes it never run. */
    static final class Ticket {
        private boolean cancelled;

        void cancel() {
            cancelled = true;
        }
    }

    /** Cancels {@code t} when not null; returns null, for {@code x = Timers.cancel(x)}. */
    static Ticket cancel(Ticket t) {
        if (t != null) {
            t.cancel();
        }
        return null;
    }

    private record Entry(Instant at, long seq, Ticket ticket, Object owner, Runnable action) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private long seq;

    /** Runs {@code action} at {@code at}; {@code owner} is handed to the after-fire hook of {@link #fireDue}. */
    Ticket at(Instant at, Object owner, Runnable action) {
        Ticket t = new Ticket();
        queue.add(new Entry(at, seq++, t, owner, action));
        return t;
    }

    /** When the earliest live timer is due, or {@link TimeSource#NEVER}. */
    Instant next() {
        while (!queue.isEmpty() && queue.peek().ticket.cancelled) {
            queue.poll();
        }
        return queue.isEmpty() ? TimeSource.NEVER : queue.peek().at;
    }

    /** Runs every live timer due at {@code now}, in order, then {@code after} with its owner; actions may add more. */
    void fireDue(Instant now, Consumer<Object> after) {
        while (!next().isAfter(now) && !queue.isEmpty()) {
            Entry e = queue.poll();
            e.ticket.cancelled = true;
            e.action.run();
            after.accept(e.owner);
        }
    }
}
