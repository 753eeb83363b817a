package dev.ordo.docker.internal.containers;

import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.spi.Labels;
import java.util.Map;
import java.util.Optional;

/**
 * How Ordo names its containers and reads back whose each one is: the Docker name of a replica, and the node (or
 * triggered run's step) and replica its labels name.
 *
 * <pre>{@code
 * ContainerIdentity.containerName("shop", "db", Optional.empty(), 1);   // "shop-db-1"
 * ContainerIdentity.keyOf(container.getLabels());                       // "db", or "migrate@run-7"
 * }</pre>
 */
public final class ContainerIdentity {
    /** Hash of the configuration actually run (differs from {@link Labels#CONFIG_HASH} in stand-in mode). */
    public static final String EFFECTIVE_HASH = "dev.ordo.docker.effective-hash";

    private ContainerIdentity() {
    }

    /**
     * The Docker name of a replica container of {@code node}, in triggered run {@code run} when present: runs of the
     * same job never share a name.
     */
    public static String containerName(String deployment, String node, Optional<String> run, int replica) {
        return deployment + "-" + node + run.map(r -> "-" + r).orElse("") + "-" + replica;
    }

    /** The key (node, or node@run) a container's labels name; the labels as the engine sent them, maybe null. */
    public static String keyOf(Map<String, String> labels) {
        Map<String, String> l = ResourceLabels.read(labels);
        String node = l.getOrDefault(Labels.NODE, "?");
        String run = l.get(Labels.RUN);
        return run == null ? node : node + "@" + run;
    }

    /** The replica number a container's labels name (1 when they name none). */
    public static int replicaOf(Map<String, String> labels) {
        return Integer.parseInt(ResourceLabels.read(labels).getOrDefault(Labels.REPLICA, "1"));
    }
}
