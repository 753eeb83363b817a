package dev.ordo.testing;

import dev.ordo.Job;
import dev.ordo.Node;
import java.time.Duration;
import java.util.List;

/** What a simulated node does, as its tests scripted it; the simulated backend keeps one per node name. */
final class NodeScript {
    Duration startsAfter = Duration.ZERO;
    Duration readyAfter = Duration.ZERO;
    boolean neverHealthy;
    Duration unhealthyAt;
    /** From this long after its first start, the liveness check fails; after a restart it passes. */
    Duration livenessFailsAt;
    Duration exitsAfter;
    int[] exitCodes = {0};
    String failsToStart;
    Duration stopsAfter = Duration.ZERO;
    /** How much longer than the platform's backoff each restart by the restart policy takes. */
    Duration restartTakes = Duration.ZERO;
    List<String> logs = List.of();

    /** When this attempt exits, or null for a service that runs until stopped. */
    Duration exitAfter(Node node, int attempt) {
        return exitsAfter != null ? exitsAfter : node instanceof Job ? Duration.ZERO : null;
    }

    int exitCode(int attempt) {
        return exitCodes[Math.min(attempt, exitCodes.length) - 1];
    }
}
