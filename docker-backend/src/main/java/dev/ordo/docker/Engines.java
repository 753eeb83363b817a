package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.Network;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.docker.internal.DockerRuntime;
import dev.ordo.docker.internal.network.CrossEngine;
import dev.ordo.docker.internal.reaper.ReaperProcess;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.support.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The engines of one {@link DockerBackend}, their connections (opened on first use), and where each node goes:
 * placement, the cross-engine addressing of a deployment, and where a node's containers were last seen (a node
 * moved to another engine is stopped where it was).
 */
final class Engines {
    private final List<DockerEngine> engines;
    private final Optional<Placement> placement;
    private final Map<String, DockerRuntime> runtimes = new LinkedHashMap<>();
    /** deployment/key -> the engines its containers were last seen on. */
    private final Map<String, Set<String>> seenOn = new ConcurrentHashMap<>();
    /** Per engine, the reaper that removes what this session created if the JVM dies without closing it. */
    private final Map<String, ReaperProcess> reapers = new LinkedHashMap<>();
    private final boolean reaping;
    /** Whether each runtime publishes every declared port on a free host port (DockerBackend.withPublishedPorts). */
    private final boolean publishAll;
    private final String session = UUID.randomUUID().toString();
    private boolean closed;

    Engines(List<DockerEngine> engines, Optional<Placement> placement, boolean reaping, boolean publishAll) {
        this.publishAll = publishAll;
        this.engines = List.copyOf(engines);
        this.placement = placement;
        this.reaping = reaping;
        Set<String> names = new LinkedHashSet<>();
        for (DockerEngine e : engines) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("two Docker engines are named '" + e.name() + "'; give each its"
                        + " own name");
            }
        }
        placement.ifPresent(p -> p.engines().stream().filter(n -> !names.contains(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException("the placement names engine '" + n + "', which is not one of this"
                    + " backend's engines " + names + Suggestions.didYouMean(n, names) + "; add it with DockerEngine.at(\""
                    + n + "\", host) or fix the placement");
        }));
    }

    List<DockerEngine> engines() {
        return engines;
    }

    /** Whether nodes are spread over several engines (then reports name each node's engine). */
    boolean several() {
        return engines.size() > 1;
    }

    synchronized DockerRuntime runtime(String engine) {
        if (closed) {
            throw new IllegalStateException("this DockerBackend is closed; create a new one");
        }
        return runtimes.computeIfAbsent(engine, n -> {
            DockerEngine e = engine(n);
            return DockerRuntime.connect(e.host(), several() ? Optional.of(e.name()) : Optional.empty(), e.certPath(),
                    new DockerRuntime.Options(reaping ? Optional.of(session) : Optional.empty(), publishAll));
        });
    }

    /** Starts engine {@code engine}'s reaper, once, before this session creates anything there. */
    synchronized void watch(String engine) {
        if (reaping && !closed && !reapers.containsKey(engine)) {
            DockerEngine e = engine(engine);
            reapers.put(engine, ReaperProcess.start(e.host(), session, e.certPath()));
        }
    }

    /** The session id every resource carries when reaping. */
    String session() {
        return session;
    }

    synchronized List<DockerRuntime> opened() {
        return List.copyOf(runtimes.values());
    }

    private DockerEngine engine(String name) {
        return engines.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /** The engine node {@code node} of {@code d} is placed on. */
    Optional<String> placed(Deployment d, String node) {
        if (!several()) {
            return Optional.of(engines.get(0).name());
        }
        return d.node(node).flatMap(n -> placement.flatMap(p -> p.engineOf(n)));
    }

    /** The engine to start {@code node} on, or an error naming the node and the fix. */
    String engineFor(Deployment d, Node node) {
        return placed(d, node.name()).orElseThrow(() -> new OrdoException("node '" + node.name() + "' of '"
                + d.name() + "' is placed on no Docker engine: no placement rule names it or its profiles "
                + node.profiles() + "; add Placement.builder().node(\"" + node.name() + "\", engine) or .otherwise("
                + "engine)"));
    }

    /** The engines that run nodes of {@code d}, in the backend's order. */
    List<String> used(Deployment d) {
        Set<String> used = new LinkedHashSet<>();
        d.nodes().forEach(n -> placed(d, n.name()).ifPresent(used::add));
        return engines.stream().map(DockerEngine::name).filter(used::contains).toList();
    }

    /**
     * What exists of {@code d} on its engines, one entry per node (or run step), noting where each was seen so that
     * stopping it reaches it there; {@code effectiveHash} says what this backend would run a node as. A node on the
     * wrong engine (the placement changed) or on two reports no hash: core recreates it where it belongs. An engine
     * the deployment does not use may be unreachable: nothing of it can be needed there.
     */
    List<ObservedNode> observe(Deployment d, Function<Node, String> effectiveHash) {
        seenOn.keySet().removeIf(k -> k.startsWith(d.name() + "/"));
        if (!several()) {
            String only = engines.get(0).name();
            List<ObservedNode> seen = runtime(only).observe(d, effectiveHash);
            seen.forEach(o -> seen(d.name(), o.node(), only));
            return seen;
        }
        Map<String, List<ObservedNode>> byKey = new LinkedHashMap<>();
        Map<String, List<String>> whereByKey = new LinkedHashMap<>();
        List<String> used = used(d);
        for (DockerEngine e : engines) {
            List<ObservedNode> seen;
            try {
                seen = runtime(e.name()).observe(d, effectiveHash);
            } catch (OrdoException unreachable) {
                if (used.contains(e.name())) {
                    throw unreachable;
                }
                continue;
            }
            for (ObservedNode o : seen) {
                seen(d.name(), o.node(), e.name());
                byKey.computeIfAbsent(o.node(), k -> new ArrayList<>()).add(o);
                whereByKey.computeIfAbsent(o.node(), k -> new ArrayList<>()).add(e.name());
            }
        }
        List<ObservedNode> merged = new ArrayList<>();
        byKey.forEach((key, seen) -> {
            int at = key.indexOf('@');
            Optional<String> placed = placed(d, at < 0 ? key : key.substring(0, at));
            List<String> where = whereByKey.get(key);
            ObservedNode o = seen.get(0);
            boolean misplaced = where.size() > 1 || placed.isPresent() && !placed.get().equals(where.get(0));
            merged.add(misplaced ? new ObservedNode(o.node(), "", o.state(), o.exitCode(), o.replicas()) : o);
        });
        return merged;
    }

    /** Records where {@code key}'s containers were seen, so that stopping it reaches them there. */
    private void seen(String deployment, String key, String engine) {
        seenOn.computeIfAbsent(deployment + "/" + key, k -> ConcurrentHashMap.newKeySet()).add(engine);
    }

    /** The engines to stop {@code key} on: where it was seen, else where it is placed. */
    List<String> stopOn(Deployment d, String key) {
        Set<String> on = new LinkedHashSet<>(seenOn.getOrDefault(d.name() + "/" + key, Set.of()));
        int at = key.indexOf('@');
        placed(d, at < 0 ? key : key.substring(0, at)).ifPresent(on::add);
        return List.copyOf(on);
    }

    /**
     * Checks, before any engine is asked anything, that {@code d} can span the engines it is placed on: its nodes on
     * the default network alone, each named volume on one engine, each published port number once per host, an
     * address for every remote engine.
     */
    void check(Deployment d) {
        List<String> used = used(d);
        if (used.size() < 2) {
            return;
        }
        checkNetworks(d, used);
        checkVolumes(d);
        checkPorts(d);
        for (String here : used) {
            for (String there : used) {
                DockerEngine other = engine(there);
                if (!there.equals(here) && other.address().isEmpty() && !(other.isLocal() && engine(here).isLocal())) {
                    String node = d.nodes().stream().filter(n -> placed(d, n.name()).orElse("").equals(there))
                            .map(Node::name).findFirst().orElse("?");
                    throw new OrdoException("node '" + node + "' runs on Docker engine '" + there + "' ("
                            + other.host() + "), which containers on engine '" + here + "' cannot find: give its"
                            + " address with DockerEngine.at(\"" + there + "\", ...).reachableAt(\"10.0.0.5\")");
                }
            }
        }
    }

    /**
     * Tells each engine how its containers reach the nodes on the others. Run after every used engine was prepared
     * (the gateways exist then) and {@link #check} passed.
     */
    void address(Deployment d) {
        List<String> used = used(d);
        if (used.size() < 2) {
            used.forEach(e -> runtime(e).crossEngine(d, CrossEngine.NONE));
            return;
        }
        for (String here : used) {
            Map<String, String> hosts = new LinkedHashMap<>();
            String gateway = null;
            for (Node n : d.nodes()) {
                Optional<String> there = placed(d, n.name());
                if (there.isEmpty() || there.get().equals(here)) {
                    continue;
                }
                DockerEngine other = engine(there.get());
                String address;
                if (other.address().isPresent()) {
                    address = other.address().get();
                } else {
                    // Both on this machine (check() made sure): the host, and so the other engine's published
                    // ports, are reached through the gateway of this engine's network.
                    if (gateway == null) {
                        gateway = runtime(here).networkGateway(d);
                    }
                    address = gateway;
                }
                hosts.put(n.name(), address);
                // its aliases too: on one engine the network resolves them, across engines the hosts file must
                n.container().networking().aliases().forEach(a -> hosts.putIfAbsent(a, address));
            }
            runtime(here).crossEngine(d, new CrossEngine(true, hosts));
        }
    }

    /**
     * A Docker network lives on one engine, and across engines Ordo connects nodes through published ports on the
     * hosts, which would bypass what separate or internal networks are for: a deployment that spans engines keeps
     * its nodes on its plain default network.
     */
    private void checkNetworks(Deployment d, List<String> used) {
        Network def = d.network(Network.DEFAULT);
        if (!def.isPlain()) {
            throw new OrdoException("deployment '" + d.name() + "' spans Docker engines " + used + " and declares its"
                    + " default network " + (def.external() ? "external" : def.internal() ? "internal" : "named '"
                    + def.platformName() + "'") + "; a Docker network lives on one engine, and across engines Ordo"
                    + " connects nodes through published ports: place every node on one engine, or drop that"
                    + " declaration");
        }
        for (Node n : d.nodes()) {
            List<String> others = n.container().networking().joined().stream().filter(x -> !Network.DEFAULT.equals(x))
                    .toList();
            if (!others.isEmpty() && placed(d, n.name()).isPresent()) {
                throw new OrdoException("node '" + n.name() + "' of '" + d.name() + "' joins networks " + others
                        + ", and the deployment spans Docker engines " + used + "; a Docker network lives on one"
                        + " engine, and across engines Ordo connects nodes through published ports, which would"
                        + " bypass separate and internal networks: place every node on one engine, or keep the nodes"
                        + " on the default network");
            }
        }
    }

    private void checkVolumes(Deployment d) {
        Map<String, String> volumeEngine = new LinkedHashMap<>();
        Map<String, String> volumeNode = new LinkedHashMap<>();
        for (Node n : d.nodes()) {
            Optional<String> on = placed(d, n.name());
            if (on.isEmpty()) {
                continue;
            }
            for (Mount m : n.container().mounts()) {
                if (m.type() != Mount.Type.VOLUME) {
                    continue;
                }
                String first = volumeEngine.putIfAbsent(m.source(), on.get());
                volumeNode.putIfAbsent(m.source(), n.name());
                if (first != null && !first.equals(on.get())) {
                    throw new OrdoException("volume '" + m.source() + "' is mounted by '" + volumeNode.get(m.source())
                            + "' on engine '" + first + "' and by '" + n.name() + "' on engine '" + on.get() + "'; a"
                            + " named volume lives on one engine: place both nodes on one engine or give each its"
                            + " own volume");
                }
            }
        }
    }

    /**
     * Every container port is published under its own number when a deployment spans engines; on one host each
     * number can be published once. Engines on this machine share its ports.
     */
    private void checkPorts(Deployment d) {
        Map<String, String> taken = new LinkedHashMap<>();
        for (Node n : d.nodes()) {
            Optional<String> on = placed(d, n.name());
            if (on.isEmpty()) {
                continue;
            }
            DockerEngine e = engine(on.get());
            String machine = e.isLocal() ? "this machine" : e.name();
            for (Port p : n.container().ports()) {
                int number = p.isPublished() ? p.host() : p.container();
                String what = "'" + n.name() + "' (engine '" + e.name() + "')";
                if (n.replicas() > 1) {
                    throw new OrdoException("service " + what + " has " + n.replicas() + " replicas and port "
                            + p.container() + ", which Ordo publishes so that other engines reach it; one host port"
                            + " cannot serve several replicas: use one replica, or put the service's consumers on its"
                            + " engine and a single engine for the deployment");
                }
                String key = machine + "/" + p.protocol() + "/" + number;
                String first = taken.putIfAbsent(key, what);
                if (first != null) {
                    throw new OrdoException("nodes " + first + " and " + what + " both need host port " + number
                            + " on " + machine + ": across engines Ordo publishes every container port under its own"
                            + " number, so that other engines reach the node as name:port; change one node's port or"
                            + " place both on other machines");
                }
            }
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // closed on purpose: what the session left running stays
        reapers.values().forEach(ReaperProcess::release);
        List<RuntimeException> failures = new ArrayList<>();
        for (DockerRuntime rt : runtimes.values()) {
            try {
                rt.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
