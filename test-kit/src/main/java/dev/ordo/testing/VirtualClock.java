package dev.ordo.testing;

import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The simulated backend's clock and agenda: virtual time moves only from one scheduled action to the next, so a
 * topology's minutes or a schedule's days pass in the wall-clock time the actions take. Actions due at the same
 * instant run in the order they were scheduled, which makes every run deterministic.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock(SimulatedBackend.EPOCH);
 * clock.at(Duration.ofSeconds(5), () -> System.out.println(clock.now()));
 * clock.advance(Duration.ofMinutes(1));
 * }</pre>
 */
final class VirtualClock {

    private record Task(Instant at, long seq, Runnable action) {
    }

    private final PriorityQueue<Task> agenda = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant start;
    private Instant now;
    private long seq;

    VirtualClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    Instant now() {
        return now;
    }

    Duration elapsed() {
        return Duration.between(start, now);
    }

    /** Restarts the clock at {@code instant}; only before anything was scheduled. */
    void startAt(Instant instant) {
        start = instant;
        now = instant;
    }

    /** Runs {@code action} {@code delay} from now. */
    void at(Duration delay, Runnable action) {
        agenda.add(new Task(now.plus(delay), seq++, action));
    }

    /** Runs everything due up to {@code until}, then stands at {@code until}. */
    void advanceTo(Instant until) {
        while (!agenda.isEmpty() && !agenda.peek().at.isAfter(until)) {
            run(agenda.poll());
        }
        if (until.isAfter(now)) {
            now = until;
        }
    }

    /**
     * Runs due actions one by one until {@code done} holds; when nothing more is due by {@code deadline}, stands at
     * the deadline (unless it is "never") and returns.
     */
    void runUntil(BooleanSupplier done, Instant deadline) {
        while (!done.getAsBoolean()) {
            Task t = agenda.peek();
            if (t == null || t.at.isAfter(deadline)) {
                if (deadline.isAfter(now) && deadline.isBefore(TimeSource.NEVER)) {
                    now = deadline;
                }
                return;
            }
            run(agenda.poll());
        }
    }

    private void run(Task t) {
        if (t.at.isAfter(now)) {
            now = t.at;
        }
        t.action.run();
    }
}
