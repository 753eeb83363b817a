package dev.ordo.docker;

import dev.ordo.Node;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which Docker engine runs each node of a deployment: by node name first, then by the first profile rule (in the
 * order the rules were given) whose profile the node has, then the default engine. Placement belongs to the backend, not to the deployment: the same
 * {@code Deployment} runs on one engine, on three, or in virtual time.
 *
 * <pre>{@code
 * Placement p = Placement.builder()
 *         .profile("dbs", "pc1").profile("infrastructure", "pc2").profile("workers", "pc3")
 *         .node("webapp", "pc1")
 *         .otherwise("pc1")
 *         .build();
 * }</pre>
 *
 * @param nodes    node name -> engine name
 * @param profiles profile -> engine name, in the order given
 * @param fallback the engine of nodes placed neither by name nor by profile
 */
public record Placement(Map<String, String> nodes, Map<String, String> profiles, Optional<String> fallback) {
    public Placement {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        Objects.requireNonNull(fallback, "fallback == null");
    }

    /** Every node on engine {@code engine}. */
    public static Placement all(String engine) {
        return builder().otherwise(engine).build();
    }

    /** A placement to fill in. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine {@code node} is placed on, if any rule places it. */
    public Optional<String> engineOf(Node node) {
        String byName = nodes.get(node.name());
        if (byName != null) {
            return Optional.of(byName);
        }
        // The rules' order decides, not the node's: a node's profiles are a set without an order.
        for (Map.Entry<String, String> rule : profiles.entrySet()) {
            if (node.profiles().contains(rule.getKey())) {
                return Optional.of(rule.getValue());
            }
        }
        return fallback;
    }

    /** Every engine name the placement mentions. */
    public Set<String> engines() {
        Set<String> all = new LinkedHashSet<>(nodes.values());
        all.addAll(profiles.values());
        fallback.ifPresent(all::add);
        return all;
    }

    /** Fills in a {@link Placement}. */
    public static final class Builder {
        private final Map<String, String> nodes = new LinkedHashMap<>();
        private final Map<String, String> profiles = new LinkedHashMap<>();
        private Optional<String> fallback = Optional.empty();

        private Builder() {
        }

        /** Node {@code node} runs on {@code engine}. */
        public Builder node(String node, String engine) {
            nodes.put(Objects.requireNonNull(node, "node == null"), Objects.requireNonNull(engine, "engine == null"));
            return this;
        }

        /**
         * Nodes of profile {@code profile} run on {@code engine}, unless placed by name or by an earlier profile
         * rule.
         */
        public Builder profile(String profile, String engine) {
            profiles.put(Objects.requireNonNull(profile, "profile == null"),
                    Objects.requireNonNull(engine, "engine == null"));
            return this;
        }

        /** Nodes no other rule places run on {@code engine}. */
        public Builder otherwise(String engine) {
            fallback = Optional.of(Objects.requireNonNull(engine, "engine == null"));
            return this;
        }

        /** The placement. */
        public Placement build() {
            return new Placement(nodes, profiles, fallback);
        }
    }
}
