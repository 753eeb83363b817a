package dev.ordo;

import java.util.Objects;

/**
 * A network nodes join ({@code NodeBuilder.networks(...)}). Every deployment has one network, {@link #DEFAULT},
 * that nodes join unless told otherwise and on which they reach each other by node name. Declare a network to make
 * it internal (no route out of it) or external (one that exists already):
 *
 * <pre>{@code
 * Deployment.builder("shop")
 *     .network(Network.of("backend").asInternal())      // nodes on it alone cannot reach outside
 *     .network(Network.external("proxy"))             // exists already: joined, never created nor removed
 *     .service("db", s -> s.image("postgres:16").networks("backend"))
 *     .service("web", s -> s.image("shop:1").networks("backend", "proxy"))
 * }</pre>
 *
 * <p>Docker creates each network the deployment owns ({@code <deployment>-network} for the default one,
 * {@code <deployment>-<name>} for the others) and connects each container to its nodes' networks under the node's
 * name and aliases; an external network that does not exist is an error naming it. Kubernetes has one flat pod
 * network: it refuses internal and external networks, naming the fix.
 *
 * @param name         the name nodes join it by
 * @param internal     whether containers on it have no route outside it
 * @param external     whether it exists outside the deployment: never created nor removed by Ordo
 * @param platformName its name on the platform; empty: derived from the deployment (or {@code name} when external)
 */
public record Network(String name, boolean internal, boolean external, String platformName) {
    /** The name of the network every node joins unless it names others. */
    public static final String DEFAULT = "default";

    public Network {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(platformName, "platformName == null");
    }

    /** The deployment's own network {@code name}. */
    public static Network of(String name) {
        return new Network(name, false, false, "");
    }

    /** A network that exists outside the deployment under {@code name}. */
    public static Network external(String name) {
        return new Network(name, false, true, "");
    }

    /** This network, with no route outside it. */
    public Network asInternal() {
        return new Network(name, true, external, platformName);
    }

    /** This network, under {@code platformName} on the platform instead of the derived name. */
    public Network named(String platformName) {
        return new Network(name, internal, external, platformName);
    }

    /** Whether this is the deployment's own default network, undeclared or declared without options. */
    public boolean isPlain() {
        return !internal && !external && platformName.isEmpty();
    }

    /** Its name on the platform for deployment {@code deployment}. */
    public String platformName(String deployment) {
        if (!platformName.isEmpty()) {
            return platformName;
        }
        if (external) {
            return name;
        }
        return DEFAULT.equals(name) ? deployment + "-network" : deployment + "-" + name;
    }
}
