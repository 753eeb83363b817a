package dev.ordo.docker.internal.network;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.ordo.Deployment;
import dev.ordo.Network;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.spi.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Docker networks of a deployment. Those it owns (its default network, {@code <deployment>-network}, and each
 * other network a node joins, {@code <deployment>-<name>}, or the names their declarations give) are created with
 * Ordo's labels, internal when declared so, and removed by {@code release}; external ones must exist and are never
 * created nor removed. A container joins every network of its node and is reached there by the node's name and
 * aliases: it is created on the first and connected to the others before it starts.
 *
 * <pre>{@code
 * new DeploymentNetworks(engine).prepare(deployment, labels);
 * DeploymentNetworks.joinedBy(deployment, node);   // ["shop-backend", "shop-network"]
 * }</pre>
 */
public final class DeploymentNetworks {
    /** The label naming the deployment's network a Docker network is (as {@code dev.ordo.volume} does for volumes). */
    public static final String NETWORK_LABEL = "dev.ordo.network";

    private final EngineConnection engine;

    public DeploymentNetworks(EngineConnection engine) {
        this.engine = engine;
    }

    /** The Docker name of {@code d}'s network {@code network}. */
    public static String platformName(Deployment d, String network) {
        return d.network(network).platformName(d.name());
    }

    /** The Docker names of the networks {@code node}'s containers join, the one they are created on first. */
    public static List<String> joinedBy(Deployment d, Node node) {
        return node.container().networking().joined().stream().map(n -> platformName(d, n)).distinct().toList();
    }

    /** The names {@code node} is reached by on each of its networks: its own, then its aliases. */
    public static List<String> aliases(Node node) {
        Set<String> names = new LinkedHashSet<>();
        names.add(node.name());
        names.addAll(node.container().networking().aliases());
        return List.copyOf(names);
    }

    /** Throws naming the network and the fix when an external network {@code d}'s nodes join is missing. */
    public void requireExternal(Deployment d) {
        for (String n : d.networks()) {
            Network def = d.network(n);
            String name = def.platformName(d.name());
            if (def.external() && find(name).isEmpty()) {
                throw new OrdoException("deployment '" + d.name() + "': network '" + n + "' is external, and "
                        + engine.name() + " has no network '" + name + "'; create it (docker network create " + name
                        + "), or drop external so that Ordo creates it");
            }
        }
    }

    /**
     * Creates the networks {@code d} owns and lacks, each labelled with {@code labels}; throws naming the network and
     * the fix when an owned one's name is taken by a network Ordo did not create.
     */
    public void prepare(Deployment d, Map<String, String> labels) {
        for (String n : d.networks()) {
            Network def = d.network(n);
            if (def.external()) {
                continue;
            }
            String name = def.platformName(d.name());
            Optional<com.github.dockerjava.api.model.Network> found = find(name);
            if (found.isEmpty()) {
                create(d, n, def, labels);
            } else if (!d.name().equals(ResourceLabels.read(found.get().getLabels()).get(Labels.DEPLOYMENT))) {
                throw new OrdoException("deployment '" + d.name() + "' needs Docker network '" + name
                        + "' for network '" + n + "', but a network of that name exists that Ordo did not create for"
                        + " this deployment; remove or rename it (docker network rm " + name + "), declare it external"
                        + " (Network.external(\"" + name + "\")) to join it as it is, or rename the deployment");
            } else if (Boolean.TRUE.equals(found.get().getInternal()) != def.internal()) {
                recreate(d, n, def, found.get(), labels);
            }
        }
    }

    /** Removes the networks Ordo created for {@code d}; external ones carry no label of it and stay. */
    public void release(Deployment d) {
        var client = engine.commands();
        List<com.github.dockerjava.api.model.Network> nets = engine.call("list networks", () -> client.listNetworksCmd()
                .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec());
        for (var n : nets) {
            engine.call("remove network " + n.getName(), () -> {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
                return null;
            });
        }
    }

    /** The IPv4 gateway of {@code d}'s default network on this engine: how its containers reach this machine. */
    public String gateway(Deployment d) {
        String net = platformName(d, Network.DEFAULT);
        return engine.call("inspect network " + net, () -> engine.commands().inspectNetworkCmd().withNetworkId(net).exec()
                .getIpam().getConfig().stream().map(c -> c.getGateway())
                .filter(g -> g != null && !g.isBlank() && !g.contains(":")).findFirst()
                .orElseThrow(() -> new OrdoException("network " + net + " on " + engine.name() + " has no IPv4 gateway;"
                        + " give the engines' addresses with DockerEngine.reachableAt(address)")));
    }

    /**
     * Connects created container {@code id} of {@code node} to its networks after the first (the one it was created
     * on), under the node's name and aliases, before it starts: its process finds every network there.
     */
    public void connectRest(String id, Deployment d, Node node) {
        List<String> nets = joinedBy(d, node);
        List<String> aliases = aliases(node);
        for (String net : nets.subList(1, nets.size())) {
            engine.commands().connectToNetworkCmd().withNetworkId(net).withContainerId(id)
                    .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
        }
    }

    private Optional<com.github.dockerjava.api.model.Network> find(String name) {
        // the name filter matches parts of names too
        return engine.call("list networks", () -> engine.commands().listNetworksCmd().withNameFilter(name).exec()).stream()
                .filter(x -> name.equals(x.getName())).findFirst();
    }

    private void create(Deployment d, String n, Network def, Map<String, String> labels) {
        String name = def.platformName(d.name());
        Map<String, String> all = new HashMap<>(labels);
        all.put(NETWORK_LABEL, n);
        engine.call("create network " + name, () -> engine.commands().createNetworkCmd().withName(name).withDriver("bridge")
                .withInternal(def.internal()).withCheckDuplicate(true).withLabels(all).exec());
    }

    /**
     * The deployment's network was created internal and is declared otherwise now, or the reverse: Docker cannot
     * change that on a network, so an unused one is made again; one its containers are on must be left by them first.
     */
    private void recreate(Deployment d, String n, Network def, com.github.dockerjava.api.model.Network found,
                          Map<String, String> labels) {
        String name = found.getName();
        var attached = engine.call("inspect network " + name, () -> engine.commands().inspectNetworkCmd()
                .withNetworkId(found.getId()).exec()).getContainers();
        if (attached != null && !attached.isEmpty()) {
            List<String> names = new ArrayList<>();
            attached.values().forEach(c -> names.add(c.getName()));
            throw new OrdoException("deployment '" + d.name() + "': network '" + n + "' is declared "
                    + (def.internal() ? "internal" : "not internal") + ", but Docker network '" + name + "' was made "
                    + (def.internal() ? "without" : "with") + " Internal and containers " + names + " are on it;"
                    + " Docker cannot change that on a network in use: bring the deployment down, then up again");
        }
        engine.call("remove network " + name, () -> {
            engine.commands().removeNetworkCmd(found.getId()).exec();
            return null;
        });
        create(d, n, def, labels);
    }
}
