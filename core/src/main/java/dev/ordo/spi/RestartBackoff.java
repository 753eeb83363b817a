package dev.ordo.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a platform waits before it restarts an exited service process: {@code first}, doubling with every
 * restart up to {@code max}, back to {@code first} once a process ran for {@code resetAfter}. Core uses it to tell
 * a restart that is coming from a death the platform will not undo (the process was killed from outside): when the
 * restart does not come within the backoff plus {@link #SLACK}, the service has crashed.
 *
 * <pre>{@code
 * RestartBackoff.DOCKER.delay(0);   // PT0.1S
 * RestartBackoff.DOCKER.delay(3);   // PT0.8S
 * }</pre>
 */
public record RestartBackoff(Duration first, Duration max, Duration resetAfter) {
    /** Docker's restart manager: 100 ms doubling to 1 min, reset after 10 s of running. */
    public static final RestartBackoff DOCKER = new RestartBackoff(Duration.ofMillis(100), Duration.ofMinutes(1),
            Duration.ofSeconds(10));
    /** The kubelet's CrashLoopBackOff: 10 s doubling to 5 min, reset after 10 min of running. */
    public static final RestartBackoff KUBERNETES = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    /** How much longer than the backoff core waits for a restart before it calls the exit a crash. */
    public static final Duration SLACK = Duration.ofSeconds(2);
    /**
     * How much longer than the backoff core waits for a restart the platform said it has taken up
     * ({@link Fact.RestartPending}): a loaded Docker engine took up to 2.3 s from die to start at its 100 ms delay.
     */
    public static final Duration PENDING_SLACK = Duration.ofSeconds(30);

    public RestartBackoff {
        Objects.requireNonNull(first, "first == null");
        Objects.requireNonNull(max, "max == null");
        Objects.requireNonNull(resetAfter, "resetAfter == null");
    }

    /**
     * How many quick restarts came before the one that follows a process that ran from {@code startedAt} to
     * {@code exitedAt}: a run shorter than {@link #resetAfter} continues the streak of {@code streak} restarts, a
     * longer one (or a process never seen to start) resets it. The platform's rule, kept here once for core, which
     * sizes its wait by it, and for the simulated platform, which restarts by it.
     *
     * <pre>{@code
     * int consecutive = RestartBackoff.DOCKER.consecutive(startedAt, now, streak);
     * streak = consecutive + 1;
     * Duration wait = RestartBackoff.DOCKER.delay(consecutive);
     * }</pre>
     */
    public int consecutive(Instant startedAt, Instant exitedAt, int streak) {
        return startedAt != null && Duration.between(startedAt, exitedAt).compareTo(resetAfter) < 0 ? streak : 0;
    }

    /** The platform's delay before the restart that follows {@code consecutive} earlier quick restarts. */
    public Duration delay(int consecutive) {
        Duration d = first;
        for (int i = 0; i < consecutive && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** How long core waits for that restart before it reports a crash. */
    public Duration bound(int consecutive) {
        return delay(consecutive).plus(SLACK);
    }

    /** How long core waits for that restart once the platform said it has taken it up. */
    public Duration pendingBound(int consecutive) {
        return delay(consecutive).plus(PENDING_SLACK);
    }
}
