package dev.ordo.spi;

import dev.ordo.Deployment;
import java.util.Optional;

/**
 * A {@link Backend} that runs a deployment in several places (e.g. Docker engines): where each node runs, as shown in
 * run reports and status.
 *
 * <pre>{@code
 * Optional<String> engine = Placements.of(backend, deployment, "webui");
 * }</pre>
 */
public interface Placements {
    /** Where {@code node} of {@code deployment} runs; empty when it is not placed. */
    Optional<String> placement(Deployment deployment, String node);

    /** Where {@code backend} runs {@code node}: empty unless it runs deployments in several places. */
    static Optional<String> of(Backend backend, Deployment deployment, String node) {
        return backend instanceof Placements p ? p.placement(deployment, node) : Optional.empty();
    }
}
