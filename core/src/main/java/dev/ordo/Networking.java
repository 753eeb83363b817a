package dev.ordo;

import java.util.List;

/**
 * The networks a node's containers join and the extra names they are reached by there. Every node is reached by
 * its own name on each of its networks; aliases add names (Compose's {@code networks.<net>.aliases}, and its
 * {@code container_name}, by which other containers may address it).
 *
 * <pre>{@code
 * .service("db", s -> s.image("postgres:16").networks("backend").alias("database"))
 * node.container().networking().networks();   // [backend]
 * }</pre>
 *
 * @param networks the networks joined, by the deployment's names for them; empty: the deployment's default network
 * @param aliases  further names the node is reached by on its networks
 */
public record Networking(List<String> networks, List<String> aliases) {
    private static final Networking DEFAULTS = new Networking(List.of(), List.of());

    public Networking {
        networks = List.copyOf(networks);
        aliases = List.copyOf(aliases);
    }

    /** The deployment's default network, no aliases. */
    public static Networking defaults() {
        return DEFAULTS;
    }

    /** The networks joined, {@link Network#DEFAULT} when none is named. */
    public List<String> joined() {
        return networks.isEmpty() ? List.of(Network.DEFAULT) : networks;
    }

    /** Whether nothing is set. */
    public boolean isDefault() {
        return equals(DEFAULTS);
    }
}
