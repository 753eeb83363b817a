package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.ordo.Container;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.docker.internal.images.Tar;
import dev.ordo.docker.internal.network.DeploymentNetworks;
import dev.ordo.spi.Labels;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a launch's containers on one engine as its {@link ContainerSpec} says: checks that no stranger holds their
 * names, creates each replica's container with its environment, secret files, process settings and networks, and
 * starts it through the {@link StartGate}. Refusals the user can fix are {@link OrdoException}s naming the node and
 * the fix; an engine that does not answer surfaces as the docker-java error, for the caller to classify.
 *
 * <pre>{@code
 * String id = maker.create(spec, 1);
 * maker.start(spec, id, 1);
 * }</pre>
 */
public final class ContainerMaker {
    private final EngineConnection engine;
    private final Containers containers;
    private final DeploymentNetworks networks;
    private final SecretStore secrets;
    private final StartGate gate;
    private final ResourceLabels stamp;
    private final boolean publishAll;

    /**
     * A maker on {@code engine}; with {@code publishAll}, every declared port nobody publishes gets a free host port
     * (tests).
     */
    public ContainerMaker(EngineConnection engine, Containers containers, DeploymentNetworks networks,
                          SecretStore secrets, StartGate gate, ResourceLabels stamp, boolean publishAll) {
        this.engine = engine;
        this.containers = containers;
        this.networks = networks;
        this.secrets = secrets;
        this.gate = gate;
        this.stamp = stamp;
        this.publishAll = publishAll;
    }

    /** Refuses when a container Ordo did not create for this node holds one of the replicas' names. */
    void checkNameClash(ContainerSpec spec) {
        for (int i = 1; i <= spec.effective().replicas(); i++) {
            String cname = spec.containerName(i);
            InspectContainerResponse found;
            try {
                found = engine.commands().inspectContainerCmd(cname).exec();
            } catch (NotFoundException free) {
                continue;
            }
            Map<String, String> l = ResourceLabels.read(found.getConfig().getLabels());
            if (spec.deployment().equals(l.get(Labels.DEPLOYMENT)) && spec.node().equals(l.get(Labels.NODE))) {
                containers.remove(found.getId());
            } else {
                throw new OrdoException("node '" + spec.node() + "': container name '" + cname
                        + "' is taken by a container Ordo did not create for this node (id "
                        + found.getId().substring(0, 12) + "); Ordo never touches containers without its labels, "
                        + "so remove or rename that container (docker rm -f " + cname + ") or rename the deployment");
            }
        }
    }

    /** Creates replica {@code replica}'s container, secret files in place; returns its id. Not started. */
    String create(ContainerSpec spec, int replica) {
        Container c = spec.effective().container();
        String name = spec.containerName(replica);
        List<String> env = new ArrayList<>();
        c.environment().forEach((k, v) -> env.add(k + "=" + v));
        Tar secretFiles = new Tar();
        boolean anyFile = false;
        List<Mount> secretMounts = new ArrayList<>();
        for (SecretRef ref : c.secrets()) {
            Secret secret = spec.launch().deployment().secrets().get(ref.secret());
            if (secret == null) {
                throw new OrdoException("node '" + spec.node() + "' uses secret '" + ref.secret()
                        + "', which the deployment does not define; add it with Deployment.Builder#secret");
            }
            if (ref.isEnvironment()) {
                // Explicit opt-in (SecretRef.environment): visible to docker inspect, as its Javadoc warns.
                env.add(ref.environment() + "=" + new String(secret.value(), StandardCharsets.UTF_8));
            } else if (secrets.inMemory()) {
                Path host = secrets.write(spec.deployment(), name, secretMounts.size(), ref, secret.value());
                secretMounts.add(new Mount().withType(MountType.BIND).withSource(host.toString())
                        .withTarget(ref.path()).withReadOnly(true));
            } else {
                secretFiles.file(ref.path().replaceFirst("^/+", ""), ref.mode(), ref.uid(), ref.gid(), secret.value());
                anyFile = true;
            }
        }
        HostConfig host = spec.hostConfig(secretMounts, publishAll, engine.hostReachesContainers());
        CreateContainerCmd cmd = engine.commands().createContainerCmd(spec.image())
                .withName(name)
                .withLabels(spec.labels(replica, stamp))
                .withEnv(env)
                .withHostConfig(host)
                .withAliases(DeploymentNetworks.aliases(spec.effective()))
                .withExposedPorts(spec.exposedPorts())
                .withStopTimeout(spec.stopTimeoutSeconds());
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
        spec.dockerHealthCheck().ifPresent(cmd::withHealthcheck);
        ProcessSettings.security(engine.commands(), spec.node(), spec.image(), c.security(), cmd, host);
        String id;
        try {
            id = cmd.exec().getId();
        } catch (DockerException e) {
            throw new OrdoException("node '" + spec.node() + "': Docker refused to create container '" + name + "': "
                    + EngineErrors.describe(e) + "; fix the node's definition (image, mounts, ports) and run up again",
                    e);
        }
        try {
            networks.connectRest(id, spec.launch().deployment(), spec.effective());
        } catch (DockerException e) {
            containers.remove(id); // half-made: it must not start on fewer networks than its node joins
            throw new OrdoException("node '" + spec.node() + "': Docker could not connect container '" + name
                    + "' to networks " + spec.networks() + ": " + EngineErrors.describe(e) + "; check them (docker"
                    + " network ls) and run up again", e);
        }
        if (anyFile) {
            // Copied before start, so the files exist when the process starts and never pass through env.
            engine.commands().copyArchiveToContainerCmd(id).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(secretFiles.finish())).exec();
        }
        return id;
    }

    /** Starts a created container, a few at a time, the most awaited first ({@code pass} holds its place). */
    void start(ContainerSpec spec, StartGate.Pass pass, String id, int replica) {
        try {
            pass.run(() -> engine.commands().startContainerCmd(id).exec());
        } catch (DockerException e) {
            String why = EngineErrors.describe(e);
            for (Port p : spec.effective().container().ports()) {
                // the engine cannot listen there at all (not a port taken, which the generic message covers)
                if (!p.onEveryAddress() && why.contains(p.hostIp()) && (why.contains("assign requested address")
                        || why.contains("not supported") || why.contains("not available"))) {
                    throw new OrdoException("node '" + spec.node() + "': Docker could not publish port "
                            + p.container() + " on host address " + p.hostIp() + " (" + why + "): the engine's"
                            + " machine has no such address" + (p.hostIp().contains(":") ? ", or IPv6 is off there"
                            : "") + "; publish it on an address that machine has (e.g. 127.0.0.1), or on every"
                            + " address (drop onHostIp)", e);
                }
            }
            throw new OrdoException("node '" + spec.node() + "': Docker could not start container '"
                    + spec.containerName(replica) + "': " + why + "; check the node's ports, mounts and command", e);
        }
    }

    /** A place in the start gate's queue for {@code spec}'s launch, held until the launch's start is done. */
    StartGate.Pass announce(ContainerSpec spec) {
        return gate.announce(spec.launch().priority());
    }
}
