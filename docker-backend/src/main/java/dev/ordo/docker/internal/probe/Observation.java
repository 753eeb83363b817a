package dev.ordo.docker.internal.probe;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.docker.internal.containers.ContainerIdentity;
import dev.ordo.docker.internal.containers.Containers;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.spi.Labels;
import dev.ordo.spi.ObservedNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What exists of a deployment on the engine, one entry per node (or triggered run's step), from the containers'
 * labels and states. The configuration hash reported is the node's only when the container runs exactly what this
 * backend would run it as (in stand-in mode the stand-in's hash decides), so that core keeps what it may keep.
 *
 * <pre>{@code
 * List<ObservedNode> nodes = new Observation(containers, true).of(deployment, Node::configHash);
 * }</pre>
 */
public final class Observation {
    /** The longest a probe made to tell a container's health may take. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(1);
    private static final Pattern EXITED = Pattern.compile("Exited \\((-?\\d+)\\)");
    private final Containers containers;
    private final boolean hostReachesContainers;

    /** An observer of {@code containers}; {@code hostReachesContainers}: their addresses are routable from here. */
    public Observation(Containers containers, boolean hostReachesContainers) {
        this.containers = containers;
        this.hostReachesContainers = hostReachesContainers;
    }

    /** One entry per node or run step of {@code d} that has containers; {@code effectiveHash}: what would run. */
    public List<ObservedNode> of(Deployment d, Function<Node, String> effectiveHash) {
        Map<String, List<Container>> byKey = new LinkedHashMap<>();
        for (Container c : containers.of(d.name())) {
            byKey.computeIfAbsent(ContainerIdentity.keyOf(c.getLabels()), k -> new ArrayList<>()).add(c);
        }
        List<ObservedNode> out = new ArrayList<>();
        byKey.forEach((key, cs) -> {
            Node node = key.contains("@") ? null : d.node(key).orElse(null);
            HealthCheck probed = node == null ? null : node.container().healthCheck()
                    .filter(hc -> hc.probe() instanceof HealthCheck.Http || hc.probe() instanceof HealthCheck.Tcp)
                    .orElse(null);
            Map<String, String> l = ResourceLabels.read(cs.get(0).getLabels());
            String hash = l.getOrDefault(Labels.CONFIG_HASH, "");
            if (node != null && !effectiveHash.apply(node).equals(l.get(ContainerIdentity.EFFECTIVE_HASH))) {
                hash = "runs-other-" + l.getOrDefault(ContainerIdentity.EFFECTIVE_HASH, "?");
            }
            out.add(observed(key, hash, cs, node, probed));
        });
        return out;
    }

    /**
     * Docker knows nothing of the HTTP and TCP checks Ordo probes itself, so its status line cannot say whether such
     * a container is healthy: probe it once, from the host, to tell. Without a route to the container the answer
     * stays "running", never a guess.
     */
    private Optional<Boolean> probeOnce(Container c, HealthCheck hc) {
        if (!hostReachesContainers || c.getNetworkSettings() == null
                || c.getNetworkSettings().getNetworks() == null) {
            return Optional.empty();
        }
        String ip = c.getNetworkSettings().getNetworks().values().stream()
                .map(ContainerNetwork::getIpAddress)
                .filter(a -> a != null && !a.isEmpty()).findFirst().orElse(null);
        if (ip == null) {
            return Optional.empty();
        }
        Duration timeout = hc.timeout().compareTo(PROBE_LIMIT) < 0 ? hc.timeout() : PROBE_LIMIT;
        return Optional.of(hc.probe() instanceof HealthCheck.Http h ? HostProbe.http(ip, h.port(), h.path(), timeout)
                .ok() : HostProbe.tcp(ip, ((HealthCheck.Tcp) hc.probe()).port(), timeout).ok());
    }

    /**
     * What exists of one node: Docker's facts of each running replica's health ({@code (healthy)}, {@code
     * (unhealthy)}, or for a check Ordo probes itself, one probe from the host) go to core's one rule,
     * {@link ObservedNode#runningState}, which decides; Docker judges unhealthy by the same count core does.
     */
    private ObservedNode observed(String key, String hash, List<Container> cs, Node node, HealthCheck probedByOrdo) {
        boolean anyRunning = false;
        boolean dockerProbes = false;
        boolean allCreated = true;
        List<ObservedNode.ReplicaHealth> running = new ArrayList<>();
        OptionalInt exit = OptionalInt.empty();
        for (Container c : cs) {
            String state = c.getState() == null ? "" : c.getState();
            String status = c.getStatus() == null ? "" : c.getStatus();
            if (!"created".equals(state)) {
                allCreated = false;
            }
            if ("running".equals(state) || "restarting".equals(state)) {
                anyRunning = true;
                dockerProbes |= status.contains("(health") || status.contains("(unhealthy)");
                // Docker counts its own HEALTHCHECK: its verdict is reported as it is; a check only Ordo probes is
                // probed once from the host, and one that fails needs its start for core's budget (no route: no
                // answer, never a guess)
                Optional<Boolean> probed = probedByOrdo != null && "running".equals(state)
                        && !status.contains("(health") ? probeOnce(c, probedByOrdo) : Optional.empty();
                ObservedNode.ReplicaHealth.Health health = status.contains("(unhealthy)")
                        ? ObservedNode.ReplicaHealth.Health.FAILING
                        : status.contains("(healthy)") || probed.orElse(false)
                        ? ObservedNode.ReplicaHealth.Health.PASSING : ObservedNode.ReplicaHealth.Health.UNKNOWN;
                Optional<Instant> since = probed.isPresent() && !probed.get() ? containers.startedAt(c.getId())
                        : Optional.empty();
                running.add(new ObservedNode.ReplicaHealth(health, since));
            } else {
                Matcher m = EXITED.matcher(status);
                if (m.find()) {
                    int code = Integer.parseInt(m.group(1));
                    if (exit.isEmpty() || exit.getAsInt() == 0) {
                        exit = OptionalInt.of(code);
                    }
                }
            }
        }
        ObservedNode.State s;
        if (anyRunning) {
            // the check counts when someone probes it: Docker (its HEALTHCHECK) or Ordo from the host
            boolean someoneProbes = probedByOrdo != null || dockerProbes;
            Optional<HealthCheck> check = node == null || !someoneProbes ? Optional.empty()
                    : node.container().healthCheck();
            s = ObservedNode.runningState(check, running, running.size(), Instant.now());
            exit = OptionalInt.empty();
        } else if (allCreated) {
            s = ObservedNode.State.CREATED;
            exit = OptionalInt.empty();
        } else {
            s = ObservedNode.State.EXITED;
        }
        return new ObservedNode(key, hash, s, exit, cs.size());
    }
}
