package dev.ordo.spi;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a backend found of one node: the basis for idempotent {@code up}, {@code status} and {@code down}.
 *
 * <pre>{@code
 * backend.observe(deployment).forEach(o -> System.out.println(o.node() + " " + o.state()));
 * }</pre>
 *
 * @param node       the node name from the resources' labels
 * @param configHash the configuration hash from the labels
 * @param state      the aggregate state of its replicas
 * @param exitCode   the exit code, when {@link State#EXITED}
 * @param replicas   how many containers (pods) exist
 */
public record ObservedNode(String node, String configHash, State state, OptionalInt exitCode, int replicas) {
    /** Aggregate states of a node's containers. */
    public enum State {
        /** Created but never started. */
        CREATED,
        /** Running, with no health check or health not yet known. */
        RUNNING,
        /** Running and passing its health check. */
        HEALTHY,
        /** Running and failing its health check. */
        UNHEALTHY,
        /** Exited (a job's final state, or a stopped or crashed service). */
        EXITED
    }

    public ObservedNode {
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(configHash, "configHash == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
    }

    /** Whether the node's containers run. */
    public boolean isRunning() {
        return state == State.RUNNING || state == State.HEALTHY || state == State.UNHEALTHY;
    }
}
