package dev.ordo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A unit the orchestrator starts and stops: a long-running {@link Service} or a run-to-completion {@link Job}.
 *
 * <pre>{@code
 * for (Node n : deployment.nodes()) {
 *     System.out.println(n.kind() + " " + n.name() + " needs " + n.dependencies());
 * }
 * }</pre>
 */
public sealed interface Node permits Service, Job {
    /** The kinds of node. */
    enum Kind {
        /** Runs until stopped. */
        SERVICE,
        /** Runs to completion. */
        JOB;

        /** {@code service} or {@code job}, as used in messages. */
        public String label() {
            return this == SERVICE ? "service" : "job";
        }
    }

    /** The node's name, a DNS-1123 label unique in its deployment. */
    String name();

    /** Whether this is a service or a job. */
    Kind kind();

    /** What runs in the node's containers. */
    Container container();

    /** What must hold before this node starts, in declaration order. */
    List<Dependency> dependencies();

    /** The profiles that enable this node; empty means always enabled. */
    Set<String> profiles();

    /** The pool this node draws a slot from, if any. */
    Optional<String> pool();

    /** User labels put on every resource created for this node. */
    Map<String, String> labels();

    /** How many containers (pods) run this node at once. Always 1 for a job. */
    int replicas();

    /** Whether this node has a health check, so that others may depend on it being {@link Condition#HEALTHY}. */
    default boolean hasHealthCheck() {
        return container().healthCheck().isPresent();
    }

    /**
     * A short stable hash of everything that, when changed, requires the node's containers to be recreated
     * (image, command, environment, ports, mounts, health check, secrets by name, replicas, policies). It leaves
     * out dependencies, profiles and pools, and never covers secret values.
     */
    default String configHash() {
        return ConfigHash.of(this);
    }
}
