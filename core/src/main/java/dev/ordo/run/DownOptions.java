package dev.ordo.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code down} tears a deployment down.
 *
 * <pre>{@code
 * orchestrator.down(deployment, DownOptions.defaults().removeVolumes(true).gracePeriod(Duration.ofSeconds(2)));
 * }</pre>
 *
 * @param removeVolumes whether named volumes (their data) are removed too
 * @param gracePeriod   how long each node gets between its stop signal and SIGKILL, instead of its own stop grace
 *                      period (e.g. {@code docker compose down -t 2}); empty: each node's own
 */
public record DownOptions(boolean removeVolumes, Optional<Duration> gracePeriod) {
    public DownOptions {
        Objects.requireNonNull(gracePeriod, "gracePeriod == null");
        gracePeriod.ifPresent(g -> {
            if (g.isNegative()) {
                throw new IllegalArgumentException("a down's grace period cannot be negative, got " + g);
            }
        });
    }

    /** Removing volumes or not, with each node's own grace period. */
    public DownOptions(boolean removeVolumes) {
        this(removeVolumes, Optional.empty());
    }

    /** Remove containers and the network; keep volumes; each node's own grace period. */
    public static DownOptions defaults() {
        return new DownOptions(false);
    }

    /** These options, removing volumes or not. */
    public DownOptions removeVolumes(boolean remove) {
        return new DownOptions(remove, gracePeriod);
    }

    /** These options, giving every node {@code period} between its stop signal and SIGKILL (zero: kill at once). */
    public DownOptions gracePeriod(Duration period) {
        return new DownOptions(removeVolumes, Optional.of(Objects.requireNonNull(period, "period == null")));
    }
}
