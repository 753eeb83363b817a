package dev.ordo.spi;

import dev.ordo.HealthCheck;
import java.time.Duration;
import java.util.Objects;

/**
 * When a backend probes a replica's health check: one rule, decided in core, that every backend carries out, so
 * that a service ready 40 ms after its start is seen ready at about 50 ms on Docker and at exactly 50 ms in
 * virtual time. Until the replica first passes, probes run on a fine grid ({@link #FAST_PERIOD}) for the first
 * {@link #FAST_PHASE} after its start, then every {@code interval}; after it passed, every {@code interval}.
 * Probes never decide anything: core counts them (see the lifecycle rules in the README).
 *
 * <pre>{@code
 * ProbeSchedule s = ProbeSchedule.of(HealthCheck.tcp(5432).interval(Duration.ofSeconds(5)));
 * s.nextBeforeReady(Duration.ZERO);              // PT0.05S
 * s.nextBeforeReady(Duration.ofSeconds(30));     // PT35S
 * }</pre>
 *
 * @param interval the health check's interval
 * @param timeout  how long one probe may take
 */
public record ProbeSchedule(Duration interval, Duration timeout) {
    /** The spacing of probes while a replica has not yet passed, during {@link #FAST_PHASE}. */
    public static final Duration FAST_PERIOD = Duration.ofMillis(50);
    /** How long after a replica's start the fine grid lasts. */
    public static final Duration FAST_PHASE = Duration.ofSeconds(30);

    public ProbeSchedule {
        Objects.requireNonNull(interval, "interval == null");
        Objects.requireNonNull(timeout, "timeout == null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
    }

    /** The schedule of {@code check}. */
    public static ProbeSchedule of(HealthCheck check) {
        Objects.requireNonNull(check, "check == null");
        return new ProbeSchedule(check.interval(), check.timeout());
    }

    /**
     * The offset from the replica's start of the first probe strictly after {@code previous} while it has not yet
     * passed. The first probe runs at offset zero, as the replica starts.
     */
    public Duration nextBeforeReady(Duration previous) {
        Objects.requireNonNull(previous, "previous == null");
        if (previous.isNegative()) {
            return Duration.ZERO;
        }
        if (previous.compareTo(FAST_PHASE) < 0) {
            long k = previous.toNanos() / FAST_PERIOD.toNanos() + 1;
            Duration next = FAST_PERIOD.multipliedBy(k);
            return next.compareTo(FAST_PHASE) < 0 ? next : FAST_PHASE;
        }
        long k = (previous.minus(FAST_PHASE).toNanos()) / interval.toNanos() + 1;
        return FAST_PHASE.plus(interval.multipliedBy(k));
    }

    /** The offset from the replica's start of the first probe at or after {@code at}, while it has not passed. */
    public Duration firstAtOrAfter(Duration at) {
        Objects.requireNonNull(at, "at == null");
        if (at.isNegative() || at.isZero()) {
            return Duration.ZERO;
        }
        return nextBeforeReady(at.minusNanos(1));
    }

    /** The spacing of probes once a replica has passed. */
    public Duration afterReady() {
        return interval;
    }
}
