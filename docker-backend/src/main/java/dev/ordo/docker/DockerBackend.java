package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.Inspection;
import dev.ordo.docker.internal.engine.EngineDiscovery;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ExecResult;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeAccess;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.Placements;
import dev.ordo.spi.ReplicaRestarts;
import dev.ordo.spi.Staging;
import dev.ordo.spi.StopMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deployments on a Docker engine: a bridge network per deployment network (nodes reach each other by node name
 * and aliases), named volumes prefixed by the deployment, images built or pulled, containers named
 * {@code <deployment>-<node>-<n>}, and Ordo's {@link dev.ordo.spi.Labels labels} on everything it creates. Readiness
 * comes from the engine's event stream and Ordo's own fast probes; secrets are copied in as files before a container
 * starts.
 *
 * <pre>{@code
 * try (DockerBackend docker = DockerBackend.local()) {
 *     RunReport report = Orchestrator.using(docker).up(deployment.plan());
 * }
 * // a rehearsal: every image replaced by a local stand-in
 * Orchestrator.using(DockerBackend.local().withStandIns(StandIns.defaults())).up(deployment.plan());
 * }</pre>
 *
 * <p>One backend can drive several engines as one deployment ({@link #onEngines}): a {@link Placement} says which
 * engine runs each node; nodes reach the nodes of other engines by name, through those engines' published ports.
 *
 * <pre>{@code
 * DockerBackend.onEngines(Placement.builder().profile("dbs", "pc1").otherwise("pc2").build(),
 *         DockerEngine.at("pc1", "tcp://10.0.0.5:2376").reachableAt("10.0.0.5"),
 *         DockerEngine.at("pc2", "unix:///var/run/docker.sock"));
 * }</pre>
 *
 * <p>Thread-safe. Closing it closes its connections and threads; containers keep running.
 */
public final class DockerBackend implements Backend, Staging, ReplicaRestarts, Placements, NodeAccess {
    /** Where {@link #local()} connects when {@code DOCKER_HOST} is not set. */
    public static final URI DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");
    private static final Logger LOG = LoggerFactory.getLogger(DockerBackend.class);

    private final List<DockerEngine> engineList;
    private final Optional<Placement> placement;
    private final Optional<StandIns> standIns;
    private final Optional<Boolean> reaper;
    private final boolean publishPorts;
    private final Engines engines;

    private DockerBackend(List<DockerEngine> engineList, Optional<Placement> placement, Optional<StandIns> standIns,
                          Optional<Boolean> reaper, boolean publishPorts) {
        this.engineList = List.copyOf(engineList);
        this.placement = placement;
        this.standIns = standIns;
        this.reaper = reaper;
        this.publishPorts = publishPorts;
        this.engines = new Engines(engineList, placement, reaping(), publishPorts);
    }

    /**
     * The engine a developer has, found as the {@code docker} CLI finds it: {@code DOCKER_HOST}; else the current
     * {@code docker context} ({@code DOCKER_CONTEXT} or the CLI's config); else the first existing socket of
     * {@link #DEFAULT_HOST}, rootless Docker's ({@code $XDG_RUNTIME_DIR/docker.sock}), Docker Desktop's, Colima's
     * and Rancher Desktop's. Connects lazily.
     *
     * @throws IllegalArgumentException naming {@code DOCKER_HOST} or the context and the form expected, when set
     *                                  but unusable
     */
    public static DockerBackend local() {
        return connect(EngineDiscovery.of(System.getenv(), Path.of(System.getProperty("user.home"))).find().host());
    }

    /**
     * The engine at {@code host}: {@code unix:///path/to/docker.sock} or {@code tcp://host:port} (TLS settings
     * from {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}). Connects lazily.
     */
    public static DockerBackend connect(URI host) {
        Objects.requireNonNull(host, "host == null");
        return new DockerBackend(List.of(DockerEngine.at("default", host)), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }

    /**
     * Several engines as one: {@code placement} says which engine runs each node. Every engine it names must be
     * among {@code engines}. Connects lazily, to each engine when first needed.
     *
     * @throws IllegalArgumentException naming a duplicate engine, or an engine the placement names but not given
     */
    public static DockerBackend onEngines(Placement placement, DockerEngine... engines) {
        return onEngines(placement, List.of(engines));
    }

    /** {@link #onEngines(Placement, DockerEngine...)} with a list. */
    public static DockerBackend onEngines(Placement placement, List<DockerEngine> engines) {
        Objects.requireNonNull(placement, "placement == null");
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("no Docker engine given; give at least one DockerEngine.at(name, host)");
        }
        return new DockerBackend(engines, Optional.of(placement), Optional.empty(), Optional.empty(), false);
    }

    /**
     * A backend on the same engines that rehearses: every node's image is replaced by a local stand-in that
     * behaves as {@code standIns} says. Nothing is pulled. A rehearsal has a reaper unless told
     * {@link #withoutReaper()}. This backend is left as it is (and has its own connections, opened on first use).
     */
    public DockerBackend withStandIns(StandIns standIns) {
        return new DockerBackend(engineList, placement,
                Optional.of(Objects.requireNonNull(standIns, "standIns == null")), reaper, publishPorts);
    }

    /**
     * A backend on the same engines whose session is watched by a reaper: if this JVM dies (is killed, crashes, or
     * exits) without closing the backend, a process Ordo started beside it removes every container, network and
     * volume this backend created. Closing the backend releases the reaper: what it left running stays. On by
     * default for rehearsals ({@link #withStandIns}); off by default otherwise, since a deployment brought up for
     * real is usually meant to outlive the program that brought it up.
     */
    public DockerBackend withReaper() {
        return new DockerBackend(engineList, placement, standIns, Optional.of(true), publishPorts);
    }

    /** A backend on the same engines without a reaper, also for rehearsals. */
    public DockerBackend withoutReaper() {
        return new DockerBackend(engineList, placement, standIns, Optional.of(false), publishPorts);
    }

    /**
     * A backend on the same engines that publishes every container port a node declares, and does not publish
     * itself, on a free host port the engine picks (on loopback for a local engine), as tests need: {@link #address}
     * says which. Ports published on a fixed host port stay as they are.
     */
    public DockerBackend withPublishedPorts() {
        return new DockerBackend(engineList, placement, standIns, reaper, true);
    }

    /** Whether a reaper watches this backend's session (see {@link #withReaper()}). */
    public boolean reaping() {
        return reaper.orElse(standIns.isPresent());
    }

    /**
     * Imports the stand-in image ({@link StandIns#IMAGE}: Debian's static busybox with its applets, no registry
     * needed) into every engine that lacks it, e.g. for tests whose nodes run busybox's {@code httpd} or {@code nc}.
     *
     * @throws dev.ordo.OrdoException naming the engine and the fix when it cannot
     */
    public void ensureStandInImage() {
        engineList.forEach(e -> engines.runtime(e.name()).ensureStandInImage());
    }

    /** The engine this backend talks to (the first, when it has several). */
    public URI host() {
        return engineList.get(0).host();
    }

    /** The engines this backend talks to. */
    public List<DockerEngine> engines() {
        return engineList;
    }

    /** The placement of nodes on engines, when this backend has several. */
    public Optional<Placement> placement() {
        return placement;
    }

    /** The stand-in settings, when this backend rehearses. */
    public Optional<StandIns> standIns() {
        return standIns;
    }

    /**
     * The first engine's version, e.g. {@code 20.10.24}: a cheap way to check the engine answers.
     *
     * @throws dev.ordo.OrdoException naming the engine and how to start one when it does not answer
     */
    public String engineVersion() {
        return engines.runtime(engineList.get(0).name()).engineVersion();
    }

    /**
     * Each engine's version by name.
     *
     * @throws dev.ordo.OrdoException naming the first engine that does not answer, its address and the fix
     */
    public Map<String, String> engineVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        engineList.forEach(e -> versions.put(e.name(), engines.runtime(e.name()).engineVersion()));
        return versions;
    }

    @Override
    public String name() {
        String base = engineList.size() > 1 ? "docker (" + engineList.size() + " engines)" : "docker";
        return standIns.isPresent() ? base + " (stand-ins)" : base;
    }

    @Override
    public Optional<String> placement(Deployment deployment, String node) {
        return engines.several() ? engines.placed(deployment, node) : Optional.empty();
    }

    @Override
    public void prepare(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        engines.check(deployment);
        List<String> kubernetesOnly = deployment.nodes().stream()
                .filter(n -> !n.container().scheduling().isAnywhere()).map(Node::name).toList();
        if (!kubernetesOnly.isEmpty()) {
            // said once per prepare, not per start: the deployment is meant for Kubernetes too, which is fine
            LOG.info("nodes {} of '{}' have node selectors or"
                    + " tolerations, which only Kubernetes uses; Docker runs them wherever the backend places them",
                    kubernetesOnly, deployment.name());
        }
        for (String e : engines.used(deployment)) {
            engines.watch(e);
            engines.runtime(e).prepare(deployment, standIns.isPresent(),
                    n -> engines.placed(deployment, n.name()).filter(e::equals).isPresent());
        }
        engines.address(deployment);
    }

    @Override
    public void start(Launch launch, NodeEvents events) {
        Objects.requireNonNull(launch, "launch == null");
        Objects.requireNonNull(events, "events == null");
        Node node = launch.node();
        String engine;
        try {
            engine = engines.engineFor(launch.deployment(), node);
        } catch (OrdoException e) {
            events.report(new Fact.Refused(launch.key(), e.getMessage()));
            return;
        }
        Node effective = effective(node, launch.attempt());
        List<String> left = launch.mode() == Launch.Mode.CREATE ? engines.stopOn(launch.deployment(), launch.key())
                .stream().filter(e -> !e.equals(engine)).toList() : List.of();
        if (left.isEmpty()) {
            engines.runtime(engine).start(launch, effective, events);
            return;
        }
        // The node moved: its containers on the engines it left stop and go first, so that what they held (a
        // published port of this host) is free when it starts where it now belongs, and nothing of it is left behind.
        AtomicInteger stopping = new AtomicInteger(left.size());
        NodeEvents gone = f -> {
            if ((f instanceof Fact.Stopped || f instanceof Fact.Refused) && stopping.decrementAndGet() == 0) {
                engines.runtime(engine).start(launch, effective, events);
            }
        };
        Duration grace = node.container().stopGracePeriod();
        left.forEach(e -> engines.runtime(e).stop(launch.deployment().name(), launch.key(), grace, true, gone));
    }

    /** Creates the launch's containers (never starts them) on its engine while its dependencies start. */
    @Override
    public void stage(Launch launch) {
        Objects.requireNonNull(launch, "launch == null");
        Node node = launch.node();
        engines.runtime(engines.engineFor(launch.deployment(), node)).stage(launch, effective(node, launch.attempt()));
    }

    /** The node as this backend runs it at {@code attempt}: its stand-in in a rehearsal, else itself. */
    private Node effective(Node node, int attempt) {
        return standIns.map(s -> StandInRewrite.of(node, s, attempt)).orElse(node);
    }

    @Override
    public void unstage(Launch launch) {
        Objects.requireNonNull(launch, "launch == null");
        engines.runtime(engines.engineFor(launch.deployment(), launch.node())).unstage(launch);
    }

    @Override
    public Optional<String> address(Deployment deployment, String node, int port) {
        return inspection(deployment, node).address(deployment, node, port);
    }

    @Override
    public List<String> logs(Deployment deployment, String node) {
        return inspection(deployment, node).logs(deployment, node);
    }

    @Override
    public ExecResult exec(Deployment deployment, String node, List<String> argv) {
        return inspection(deployment, node).exec(deployment, node, List.copyOf(argv));
    }

    private Inspection inspection(Deployment deployment, String node) {
        return engines.runtime(engines.engineFor(deployment, deployment.requireNode(node))).inspection();
    }

    @Override
    public void restart(Deployment deployment, String node, int replica) {
        Objects.requireNonNull(deployment, "deployment == null");
        engines.runtime(engines.engineFor(deployment, deployment.requireNode(node)))
                .restart(deployment.name(), node, replica);
    }

    @Override
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        Objects.requireNonNull(deployment, "deployment == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(events, "events == null");
        List<String> on = engines.stopOn(deployment, node);
        if (on.isEmpty()) {
            events.report(new Fact.Stopped(node));
            return;
        }
        // A node moved to another engine may have containers on two: the last engine reports to core.
        for (int i = 0; i < on.size() - 1; i++) {
            engines.runtime(on.get(i)).stop(deployment.name(), node, mode.gracePeriod(), mode.remove(), IGNORED);
        }
        engines.runtime(on.get(on.size() - 1)).stop(deployment.name(), node, mode.gracePeriod(), mode.remove(),
                events);
    }

    private static final NodeEvents IGNORED = (Fact f) -> { };

    @Override
    public void detach(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        engines.opened().forEach(rt -> rt.detach(deployment));
    }

    @Override
    public void release(Deployment deployment, boolean removeVolumes) {
        Objects.requireNonNull(deployment, "deployment == null");
        List<String> used = engines.used(deployment);
        for (DockerEngine e : engineList) {
            if (used.contains(e.name()) || !engines.several()) {
                engines.runtime(e.name()).release(deployment, removeVolumes);
            } else {
                releaseIfReachable(e, deployment, removeVolumes);
            }
        }
    }

    /** An engine the deployment does not use may still hold its nodes from an earlier placement. */
    private void releaseIfReachable(DockerEngine e, Deployment deployment, boolean removeVolumes) {
        try {
            engines.runtime(e.name()).release(deployment, removeVolumes);
        } catch (OrdoException unreachable) {
            LOG.warn("could not clean up '{}' on Docker engine"
                    + " '{}', which it no longer uses: {}", deployment.name(), e.name(), unreachable.getMessage());
        }
    }

    @Override
    public List<ObservedNode> observe(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        // a container is kept only when it runs exactly what this backend would run: the stand-in's hash decides
        return engines.observe(deployment, n -> effective(n, 1).configHash());
    }

    @Override
    public void close() {
        engines.close();
    }

    @Override
    public String toString() {
        List<String> where = engineList.stream().map(e -> engines.several() ? e.name() + "=" + e.host()
                : e.host().toString()).toList();
        return "DockerBackend[" + String.join(", ", where) + (standIns.isPresent() ? ", stand-ins" : "") + "]";
    }
}
