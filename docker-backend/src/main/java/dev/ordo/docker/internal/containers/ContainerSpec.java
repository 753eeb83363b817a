package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.Service;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.docker.internal.network.CrossEngine;
import dev.ordo.docker.internal.network.DeploymentNetworks;
import dev.ordo.spi.Labels;
import dev.ordo.spi.Launch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one launch's replicas look as Docker containers, read from the node as it runs ({@code effective}: the
 * stand-in in a rehearsal): names, image, labels, ports (on every host address or one), networks, restart policy,
 * stop timeout and the health check Docker runs itself. It asks the engine nothing; {@link ContainerMaker} does.
 *
 * <pre>{@code
 * ContainerSpec spec = new ContainerSpec(launch, effective, CrossEngine.NONE);
 * spec.containerName(1);   // "shop-db-1"
 * }</pre>
 *
 * @param launch    what core asked to start
 * @param effective the node as it runs
 * @param cross     how the deployment's nodes on this engine reach those on other engines
 */
public record ContainerSpec(Launch launch, Node effective, CrossEngine cross) {
    /** The node's name. */
    public String node() {
        return launch.node().name();
    }

    /** The deployment's name. */
    public String deployment() {
        return launch.deployment().name();
    }

    /** The Docker name of replica {@code replica}'s container. */
    public String containerName(int replica) {
        return ContainerIdentity.containerName(deployment(), node(), launch.run(), replica);
    }

    /** The image the node runs: its own, or the tag its build gets ({@link dev.ordo.Container#imageFor}). */
    public String image() {
        return effective.container().imageFor(deployment(), node());
    }

    /** The Docker names of the networks the containers join, the one they are created on first. */
    public List<String> networks() {
        return DeploymentNetworks.joinedBy(launch.deployment(), effective);
    }

    /** The container's stop timeout: the node's grace period in whole seconds, rounded up. */
    public int stopTimeoutSeconds() {
        return seconds(effective.container().stopGracePeriod());
    }

    static int seconds(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000);
    }

    /** Replica {@code replica}'s labels: whose it is, what it runs, and the session a reaper watches. */
    Map<String, String> labels(int replica, ResourceLabels stamp) {
        Map<String, String> labels = new LinkedHashMap<>(effective.labels());
        labels.put(Labels.DEPLOYMENT, deployment());
        labels.put(Labels.NODE, node());
        labels.put(Labels.REPLICA, Integer.toString(replica));
        labels.put(Labels.CONFIG_HASH, launch.node().configHash());
        labels.put(Labels.KIND, effective.kind().label());
        labels.put(ContainerIdentity.EFFECTIVE_HASH, effective.configHash());
        launch.run().ifPresent(r -> labels.put(Labels.RUN, r));
        return stamp.on(labels);
    }

    /**
     * The host side: published ports, restart policy, mounts ({@code secretMounts} first) and the hosts of nodes on
     * other engines. With {@code publishAll}, a declared port nobody publishes gets a free host port the engine picks,
     * on loopback when {@code loopback} (a local engine, where the tests run).
     */
    HostConfig hostConfig(List<Mount> secretMounts, boolean publishAll, boolean loopback) {
        Ports bindings = new Ports();
        for (Port p : effective.container().ports()) {
            if (p.isPublished()) {
                bindings.bind(exposed(p), p.onEveryAddress() ? Ports.Binding.bindPort(p.host())
                        : Ports.Binding.bindIpAndPort(p.hostIp(), p.host()));
            } else if (cross.publishPorts()) {
                // Nodes on other engines reach this one as name:port through this engine's host.
                bindings.bind(exposed(p), Ports.Binding.bindPort(p.container()));
            } else if (publishAll) {
                bindings.bind(exposed(p), loopback ? Ports.Binding.bindIp("127.0.0.1") : Ports.Binding.empty());
            }
        }
        HostConfig config = HostConfig.newHostConfig()
                .withNetworkMode(networks().get(0))
                .withPortBindings(bindings)
                .withRestartPolicy(restartPolicy());
        MountSettings.apply(launch.deployment(), node(), effective.container().mounts(), secretMounts, config);
        if (!cross.hosts().isEmpty()) {
            config.withExtraHosts(cross.extraHosts().toArray(String[]::new));
        }
        ProcessSettings.resources(effective.container().resources(), config);
        return config;
    }

    List<ExposedPort> exposedPorts() {
        return effective.container().ports().stream().map(ContainerSpec::exposed).toList();
    }

    private static ExposedPort exposed(Port p) {
        return "udp".equals(p.protocol()) ? ExposedPort.udp(p.container()) : ExposedPort.tcp(p.container());
    }

    /**
     * The check Docker runs itself, so that {@code docker ps} shows health: a service's command check. Ordo's verdicts
     * come from its own probes. An image-defined check is the image's HEALTHCHECK already: the container keeps it.
     */
    Optional<com.github.dockerjava.api.model.HealthCheck> dockerHealthCheck() {
        return effective.container().healthCheck().flatMap(hc -> {
            if (!(hc.probe() instanceof HealthCheck.Command command) || !(effective instanceof Service)) {
                return Optional.empty();
            }
            List<String> test = new ArrayList<>();
            test.add("CMD");
            test.addAll(command.argv());
            return Optional.of(new com.github.dockerjava.api.model.HealthCheck()
                    .withTest(test)
                    .withInterval(Math.max(1_000_000L, hc.interval().toNanos()))
                    .withTimeout(Math.max(1_000_000L, hc.timeout().toNanos()))
                    .withRetries(hc.retries())
                    .withStartPeriod(hc.startPeriod().toNanos()));
        });
    }

    /** A service's restart policy is Docker's to apply; a job is never restarted by Docker (core re-runs it). */
    private RestartPolicy restartPolicy() {
        if (!(effective instanceof Service s)) {
            return RestartPolicy.noRestart();
        }
        return switch (s.restartPolicy()) {
            case NO -> RestartPolicy.noRestart();
            // Docker counts restarts after failures as core does: on-failure:N (0 = no limit)
            case ON_FAILURE -> RestartPolicy.onFailureRestart(s.maxRestarts());
            case UNLESS_STOPPED -> RestartPolicy.unlessStoppedRestart();
            case ALWAYS -> RestartPolicy.alwaysRestart();
        };
    }
}
