package dev.ordo.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How a backend stops a node.
 *
 * <pre>{@code
 * backend.stop(deployment, "webui", StopMode.remove(Duration.ofSeconds(10)), events);
 * }</pre>
 *
 * @param remove      whether the containers are removed after they stop
 * @param gracePeriod how long to wait after SIGTERM before SIGKILL
 */
public record StopMode(boolean remove, Duration gracePeriod) {
    public StopMode {
        Objects.requireNonNull(gracePeriod, "gracePeriod == null");
    }

    /** Stop and keep the containers for a later start. */
    public static StopMode keep(Duration gracePeriod) {
        return new StopMode(false, gracePeriod);
    }

    /** Stop and remove the containers. */
    public static StopMode remove(Duration gracePeriod) {
        return new StopMode(true, gracePeriod);
    }
}
