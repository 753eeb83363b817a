package dev.ordo.spi;

import dev.ordo.Deployment;
import dev.ordo.Node;
import java.util.Objects;

/**
 * The engine's request to a backend to run one node.
 *
 * <pre>{@code
 * backend.start(new Launch(deployment, deployment.requireNode("webui"), false), events);
 * }</pre>
 *
 * @param deployment the deployment the node belongs to
 * @param node       the node to run
 * @param recreate   whether to replace running containers even if their configuration hash is unchanged (a
 *                   dependency with {@code restart(true)} was recreated, or a job is re-run on request)
 */
public record Launch(Deployment deployment, Node node, boolean recreate) {
    public Launch {
        Objects.requireNonNull(deployment, "deployment == null");
        Objects.requireNonNull(node, "node == null");
    }
}
