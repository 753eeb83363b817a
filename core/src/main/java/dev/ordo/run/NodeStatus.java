package dev.ordo.run;

import dev.ordo.spi.ObservedNode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What exists of one node now, compared with its definition.
 *
 * <pre>{@code
 * orchestrator.status(deployment).forEach(s -> System.out.println(s.node() + " " + s.state() + (s.upToDate() ? "" : " (changed)")));
 * }</pre>
 *
 * @param node     the node's name
 * @param defined  whether the deployment still defines the node
 * @param state    the state of its containers, or empty-handed {@link ObservedNode.State}
 * @param upToDate whether its configuration hash matches the current definition
 * @param exitCode its exit code, when exited
 * @param replicas  how many containers exist
 * @param placement where it runs, when the backend runs the deployment in several places (a Docker engine)
 */
public record NodeStatus(String node, boolean defined, ObservedNode.State state, boolean upToDate,
                         OptionalInt exitCode, int replicas, Optional<String> placement) {
    public NodeStatus {
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
        Objects.requireNonNull(placement, "placement == null");
    }

    /** A status without a placement (the backend runs the deployment in one place). */
    public NodeStatus(String node, boolean defined, ObservedNode.State state, boolean upToDate,
                      OptionalInt exitCode, int replicas) {
        this(node, defined, state, upToDate, exitCode, replicas, Optional.empty());
    }
}
