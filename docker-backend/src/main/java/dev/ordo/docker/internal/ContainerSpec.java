package dev.ordo.docker.internal;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.spi.Labels;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node's replica becomes a Docker container: its image (built, or pulled when missing), labels, environment,
 * secret files, mounts, ports (on every host address or one), networks and the names it is reached by there, health
 * check and restart policy. Refusals the user can fix are {@link OrdoException}s naming the node and the fix; an
 * engine that does not answer surfaces as the docker-java error, for the caller to classify.
 *
 * <pre>{@code
 * String id = new ContainerSpec(rt, launch, effective).create(1, events);
 * }</pre>
 */
final class ContainerSpec {
    /** Hash of the configuration actually run (differs from {@link Labels#CONFIG_HASH} in stand-in mode). */
    static final String EFFECTIVE_HASH = "dev.ordo.docker.effective-hash";

    private final DockerRuntime rt;
    private final Launch launch;
    private final Node effective;

    ContainerSpec(DockerRuntime rt, Launch launch, Node effective) {
        this.rt = rt;
        this.launch = launch;
        this.effective = effective;
    }

    private String name() {
        return launch.node().name();
    }

    String containerName(int replica) {
        return DockerCalls.containerName(launch.deployment().name(), name(), launch.run(), replica);
    }

    /** Refuses when a container Ordo did not create for this node holds one of the replicas' names. */
    void checkNameClash() {
        for (int i = 1; i <= effective.replicas(); i++) {
            String cname = containerName(i);
            InspectContainerResponse found;
            try {
                found = rt.client.inspectContainerCmd(cname).exec();
            } catch (NotFoundException free) {
                continue;
            }
            Map<String, String> l = DockerCalls.labels(found.getConfig().getLabels());
            if (launch.deployment().name().equals(l.get(Labels.DEPLOYMENT)) && name().equals(l.get(Labels.NODE))) {
                rt.removeQuietly(found.getId());
            } else {
                throw new OrdoException("node '" + name() + "': container name '" + cname
                        + "' is taken by a container Ordo did not create for this node (id "
                        + found.getId().substring(0, 12) + "); Ordo never touches containers without its labels, "
                        + "so remove or rename that container (docker rm -f " + cname + ") or rename the deployment");
            }
        }
    }

    /** The image the node runs: its own, or the tag its build gets ({@link dev.ordo.Container#imageFor}). */
    String image() {
        return effective.container().imageFor(launch.deployment().name(), name());
    }

    /** Whether the engine has the node's image (an image reference it rejects counts as absent). */
    boolean imagePresent() {
        try {
            rt.client.inspectImageCmd(image()).exec();
            return true;
        } catch (DockerException e) {
            return false;
        }
    }

    /**
     * Builds the node's image when it has a build (as its policy says), else pulls the image unless the engine has
     * it; the build's or pull's progress goes to the node's output.
     */
    void ensureImage(NodeEvents events) {
        String image = image();
        if (effective.container().build().isPresent()) {
            new ImageBuild(rt, launch.key(), name(), image).ensure(effective.container().build().get(), events);
            return;
        }
        try {
            rt.client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException absent) {
            // pulled below
        } catch (DockerException e) {
            throw new OrdoException("node '" + name() + "': the Docker engine rejects image reference '" + image
                    + "' (" + DockerCalls.describe(e) + "); fix the node's .image(...)", e);
        }
        String ref = image;
        int slash = ref.lastIndexOf('/');
        if (!ref.contains("@") && ref.indexOf(':', slash + 1) < 0) {
            ref = ref + ":latest"; // without a tag the engine would pull every tag of the repository
        }
        try {
            events.output(launch.key(), 0, "ordo: pulling image " + ref);
            PullProgress progress = new PullProgress(launch.key(), ref, events);
            if (!AuthenticatedPull.pull(rt, ref, progress)) {
                rt.streams.pullImageCmd(ref).exec(progress);
            }
            progress.await(Duration.ofMinutes(30));
            events.output(launch.key(), 0, "ordo: pulled image " + ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("node '" + name() + "': interrupted while pulling image '" + image + "'");
        } catch (RuntimeException e) {
            if (DockerCalls.unreachable(e)) {
                throw e;
            }
            throw new OrdoException("node '" + name() + "': image '" + image + "' is not on the Docker engine and "
                    + "pulling it failed (" + DockerCalls.describe(e) + "); build or load it locally "
                    + "(docker build / docker load), fix the image reference, or rehearse with stand-ins", e);
        }
    }

    /** Creates replica {@code replica}'s container, secret files copied in; returns its id. Not started. */
    String create(int replica) {
        var c = effective.container();
        Map<String, String> labels = new LinkedHashMap<>(effective.labels());
        labels.put(Labels.DEPLOYMENT, launch.deployment().name());
        labels.put(Labels.NODE, name());
        labels.put(Labels.REPLICA, Integer.toString(replica));
        labels.put(Labels.CONFIG_HASH, launch.node().configHash());
        labels.put(Labels.KIND, effective.kind().label());
        labels.put(EFFECTIVE_HASH, effective.configHash());
        launch.run().ifPresent(r -> labels.put(Labels.RUN, r));
        if (rt.session != null) {
            labels.put(Labels.SESSION, rt.session);
        }

        List<String> env = new ArrayList<>();
        c.environment().forEach((k, v) -> env.add(k + "=" + v));
        Tar secretFiles = new Tar();
        boolean anyFile = false;
        List<com.github.dockerjava.api.model.Mount> secretMounts = new ArrayList<>();
        for (SecretRef ref : c.secrets()) {
            Secret secret = launch.deployment().secrets().get(ref.secret());
            if (secret == null) {
                throw new OrdoException("node '" + name() + "' uses secret '" + ref.secret()
                        + "', which the deployment does not define; add it with Deployment.Builder#secret");
            }
            if (ref.isEnvironment()) {
                // Explicit opt-in (SecretRef.environment): visible to docker inspect, as its Javadoc warns.
                env.add(ref.environment() + "=" + new String(secret.value(), StandardCharsets.UTF_8));
            } else if (rt.secretsInMemory()) {
                Path host = SecretFiles.write(launch.deployment().name(), containerName(replica), secretMounts.size(),
                        ref, secret.value());
                secretMounts.add(new com.github.dockerjava.api.model.Mount().withType(MountType.BIND)
                        .withSource(host.toString()).withTarget(ref.path()).withReadOnly(true));
            } else {
                secretFiles.file(ref.path().replaceFirst("^/+", ""), ref.mode(), ref.uid(), ref.gid(), secret.value());
                anyFile = true;
            }
        }
        HostConfig host = hostConfig(secretMounts);
        ProcessSettings.resources(c.resources(), host);
        CreateContainerCmd cmd = rt.client.createContainerCmd(image())
                .withName(containerName(replica))
                .withLabels(labels)
                .withEnv(env)
                .withHostConfig(host)
                .withAliases(DeploymentNetworks.aliases(effective))
                .withExposedPorts(exposedPorts())
                .withStopTimeout((int) Math.min(Integer.MAX_VALUE, (c.stopGracePeriod().toMillis() + 999) / 1000));
        if (!c.entrypoint().isEmpty()) {
            cmd.withEntrypoint(c.entrypoint());
        }
        if (!c.command().isEmpty()) {
            cmd.withCmd(c.command());
        }
        if (!c.workingDir().isEmpty()) {
            cmd.withWorkingDir(c.workingDir());
        }
        if (!c.stopSignal().isEmpty()) {
            cmd.withStopSignal(c.stopSignal());
        }
        c.healthCheck().ifPresent(hc -> {
            // Docker's own check shows health in `docker ps` and status; Ordo's verdicts come from its own probes.
            // An image-defined check is the image's HEALTHCHECK already: the container keeps it as it is.
            if (hc.probe() instanceof HealthCheck.Command command && effective instanceof Service) {
                List<String> test = new ArrayList<>();
                test.add("CMD");
                test.addAll(command.argv());
                cmd.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                        .withTest(test)
                        .withInterval(Math.max(1_000_000L, hc.interval().toNanos()))
                        .withTimeout(Math.max(1_000_000L, hc.timeout().toNanos()))
                        .withRetries(hc.retries())
                        .withStartPeriod(hc.startPeriod().toNanos()));
            }
        });
        ProcessSettings.security(rt.client, name(), image(), c.security(), cmd, host);
        String id;
        try {
            id = cmd.exec().getId();
        } catch (DockerException e) {
            throw new OrdoException("node '" + name() + "': Docker refused to create container '"
                    + containerName(replica) + "': " + DockerCalls.describe(e) + "; fix the node's definition (image,"
                    + " mounts, ports) and run up again", e);
        }
        try {
            new DeploymentNetworks(rt).connectRest(id, launch.deployment(), effective);
        } catch (DockerException e) {
            rt.removeQuietly(id); // half-made: it must not start on fewer networks than its node joins
            throw new OrdoException("node '" + name() + "': Docker could not connect container '"
                    + containerName(replica) + "' to networks " + DeploymentNetworks.joinedBy(launch.deployment(),
                    effective) + ": " + DockerCalls.describe(e) + "; check them (docker network ls) and run up again",
                    e);
        }
        if (anyFile) {
            // Copied before start, so the files exist when the process starts and never pass through env.
            rt.client.copyArchiveToContainerCmd(id).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(secretFiles.finish())).exec();
        }
        return id;
    }

    /** Starts a created container, a few at a time, the most awaited first. */
    void start(String id, int replica) {
        try {
            rt.startGate.run(launch.priority(), () -> rt.client.startContainerCmd(id).exec());
        } catch (DockerException e) {
            String why = DockerCalls.describe(e);
            for (Port p : effective.container().ports()) {
                // the engine cannot listen there at all (not a port taken, which the generic message covers)
                if (!p.onEveryAddress() && why.contains(p.hostIp()) && (why.contains("assign requested address")
                        || why.contains("not supported") || why.contains("not available"))) {
                    throw new OrdoException("node '" + name() + "': Docker could not publish port " + p.container()
                            + " on host address " + p.hostIp() + " (" + why + "): the engine's machine has no such"
                            + " address" + (p.hostIp().contains(":") ? ", or IPv6 is off there" : "") + "; publish it"
                            + " on an address that machine has (e.g. 127.0.0.1), or on every address (drop onHostIp)",
                            e);
                }
            }
            throw new OrdoException("node '" + name() + "': Docker could not start container '"
                    + containerName(replica) + "': " + why + "; check the node's ports, mounts and command", e);
        }
    }

    private HostConfig hostConfig(List<com.github.dockerjava.api.model.Mount> secretMounts) {
        CrossEngine cross = rt.crossEngine(launch.deployment().name());
        Ports bindings = new Ports();
        for (Port p : effective.container().ports()) {
            if (p.isPublished()) {
                bindings.bind(exposed(p), p.onEveryAddress() ? Ports.Binding.bindPort(p.host())
                        : Ports.Binding.bindIpAndPort(p.hostIp(), p.host()));
            } else if (cross.publishPorts()) {
                // Nodes on other engines reach this one as name:port through this engine's host.
                bindings.bind(exposed(p), Ports.Binding.bindPort(p.container()));
            } else if (rt.publishAll) {
                // a free port the engine picks; on a local engine only on loopback, where the tests run
                bindings.bind(exposed(p), rt.hostReachesContainers ? Ports.Binding.bindIp("127.0.0.1")
                        : Ports.Binding.empty());
            }
        }
        HostConfig config = HostConfig.newHostConfig()
                .withNetworkMode(DeploymentNetworks.joinedBy(launch.deployment(), effective).get(0))
                .withPortBindings(bindings)
                .withRestartPolicy(restartPolicy());
        MountSettings.apply(launch.deployment(), name(), effective.container().mounts(), secretMounts, config);
        if (!cross.hosts().isEmpty()) {
            config.withExtraHosts(cross.extraHosts().toArray(String[]::new));
        }
        return config;
    }

    private List<ExposedPort> exposedPorts() {
        return effective.container().ports().stream().map(ContainerSpec::exposed).toList();
    }

    private static ExposedPort exposed(Port p) {
        return "udp".equals(p.protocol()) ? ExposedPort.udp(p.container()) : ExposedPort.tcp(p.container());
    }

    /** A service's restart policy is Docker's to apply; a job is never restarted by Docker (core re-runs it). */
    private com.github.dockerjava.api.model.RestartPolicy restartPolicy() {
        if (!(effective instanceof Service s)) {
            return com.github.dockerjava.api.model.RestartPolicy.noRestart();
        }
        return switch (s.restartPolicy()) {
            case NO -> com.github.dockerjava.api.model.RestartPolicy.noRestart();
            // Docker counts restarts after failures as core does: on-failure:N (0 = no limit)
            case ON_FAILURE -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(s.maxRestarts());
            case UNLESS_STOPPED -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case ALWAYS -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
        };
    }
}
