package dev.ordo.spi;

import java.time.Instant;

/**
 * The clock the engine reads and the way it waits for the next event. Real backends use {@link #system()}; the
 * simulated backend supplies virtual time, so that a run of minutes completes in milliseconds.
 *
 * <pre>{@code
 * TimeSource time = backend.time();
 * Instant now = time.now();
 * }</pre>
 */
public interface TimeSource {
    /**
     * The deadline that never comes: {@code await(inbox, NEVER)} waits for an event only, and a virtual clock never
     * moves to it. The engine's "no timer" and every time source's "no deadline" are this one instant.
     */
    Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    /** The current instant. */
    Instant now();

    /**
     * Waits until {@code inbox} has something or {@code deadline} passes, whichever is first.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void await(Inbox inbox, Instant deadline) throws InterruptedException;

    /**
     * Whether time only moves when the engine waits (virtual time, as the simulated backend keeps it): then a
     * living deployment runs on its caller's thread, as far as the caller advances it, instead of on its own thread.
     */
    default boolean isVirtual() {
        return false;
    }

    /** Wall-clock time: waits by blocking on the inbox. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }

    /**
     * The engine's queue of pending events, as seen by a time source.
     *
     * <pre>{@code
     * while (inbox.isEmpty()) { inbox.awaitNonEmpty(Duration.ofMillis(100).toNanos()); }
     * }</pre>
     */
    interface Inbox {
        /** Whether no event waits. */
        boolean isEmpty();

        /** Blocks up to {@code nanos} nanoseconds for an event to arrive. */
        void awaitNonEmpty(long nanos) throws InterruptedException;
    }
}
