package dev.ordo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a node's pods may be scheduled on Kubernetes: labels the cluster node must carry (node selector) and taints they
 * tolerate. Docker engines and the simulated platform have no cluster nodes, so they keep it as data and
 * run the node as usual; on several Docker engines, the Docker backend's own placement picks the engine.
 *
 * <pre>{@code
 * .service("worker", s -> s.image("clp-package:main")
 *     .nodeSelector("kubernetes.io/arch", "amd64")
 *     .toleration(Toleration.equal("dedicated", "clp", Toleration.Effect.NO_SCHEDULE)))
 * }</pre>
 *
 * @param nodeSelector labels a cluster node must have, in insertion order
 * @param tolerations  taints the pods tolerate
 */
public record Scheduling(Map<String, String> nodeSelector, List<Toleration> tolerations) {
    private static final Scheduling ANYWHERE = new Scheduling(Map.of(), List.of());

    public Scheduling {
        nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(nodeSelector, "nodeSelector == null")));
        tolerations = List.copyOf(tolerations);
    }

    /** No constraint: what a node has unless told otherwise. */
    public static Scheduling anywhere() {
        return ANYWHERE;
    }

    /** Whether nothing constrains the scheduling. */
    public boolean isAnywhere() {
        return nodeSelector.isEmpty() && tolerations.isEmpty();
    }
}
