package dev.ordo.spi;

import java.time.Duration;
import java.util.List;

/**
 * Where a backend reports what it observes of a node. The engine implements it; calls may come from any thread and
 * return at once. Report the node's aggregate state: {@code started} once every replica runs, {@code healthy} once
 * every replica passes its health check.
 *
 * <pre>{@code
 * events.started("database", false);
 * events.healthy("database", Duration.ofMillis(40));
 * }</pre>
 */
public interface NodeEvents {
    /**
     * Every replica of {@code node} is running.
     *
     * @param reused whether running containers with an unchanged configuration hash were kept
     */
    void started(String node, boolean reused);

    /**
     * Every replica passes its health check.
     *
     * @param detectionLatency how long after the check first passed Ordo noticed it, when the backend can tell;
     *                         {@link Duration#ZERO} otherwise
     */
    void healthy(String node, Duration detectionLatency);

    /** The health check failed often enough to count as unhealthy; {@code lastOutput} is the last probe's output. */
    void unhealthy(String node, String lastOutput);

    /**
     * The node's process exited for good (for a job: after its retries). For a service this is a crash, unless
     * the restart policy brings it back, in which case the backend reports {@link #started} again.
     *
     * @param logTail the last lines of the container's output, oldest first (at most 50)
     */
    void exited(String node, int exitCode, List<String> logTail);

    /** The node could not be run at all: e.g. image missing and not pullable, name clash, platform refusal. */
    void failed(String node, String reason);

    /** The node's containers are stopped (and removed, if asked). */
    void stopped(String node);

    /** One line of the node's output, for listeners that stream logs. Backends may skip this. */
    default void log(String node, String line) {
    }
}
