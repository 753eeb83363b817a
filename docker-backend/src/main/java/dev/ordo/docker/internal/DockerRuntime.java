package dev.ordo.docker.internal;

import com.github.dockerjava.api.model.Container;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.docker.internal.containers.ContainerMaker;
import dev.ordo.docker.internal.containers.ContainerSpec;
import dev.ordo.docker.internal.containers.Containers;
import dev.ordo.docker.internal.containers.LaunchContainers;
import dev.ordo.docker.internal.containers.Removals;
import dev.ordo.docker.internal.containers.SecretStore;
import dev.ordo.docker.internal.containers.Staging;
import dev.ordo.docker.internal.containers.StartGate;
import dev.ordo.docker.internal.containers.Stopper;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineWatch;
import dev.ordo.docker.internal.engine.EventHub;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.docker.internal.images.ImageSupply;
import dev.ordo.docker.internal.images.StandInImage;
import dev.ordo.docker.internal.logs.ContainerLogs;
import dev.ordo.docker.internal.network.CrossEngine;
import dev.ordo.docker.internal.network.DeploymentNetworks;
import dev.ordo.docker.internal.network.SharedResources;
import dev.ordo.docker.internal.probe.Observation;
import dev.ordo.docker.internal.probe.Probers;
import dev.ordo.docker.internal.run.NodeRuns;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.support.DaemonThreads;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything the Docker backend does on one engine, on docker-java. The public {@code DockerBackend} delegates here
 * so that no docker-java type reaches a public signature. It wires the engine's parts once, each given what it uses,
 * and turns core's calls into theirs: the connection and its event stream and watch, the deployment's shared
 * resources, the containers (made, staged, stopped, removed), the node runs that report facts, and observation.
 *
 * <pre>{@code
 * DockerRuntime rt = DockerRuntime.connect(URI.create("unix:///var/run/docker.sock"));
 * rt.prepare(deployment, false, node -> true);
 * }</pre>
 */
public final class DockerRuntime implements AutoCloseable {
    /** How many container starts run at once: dockerd serialises much of a start, so more mostly slow each down. */
    private static final int PARALLEL_STARTS = 3;

    /**
     * What a runtime stamps on what it creates, and how it publishes ports.
     *
     * @param session    the session a reaper watches, if one does: every resource is labelled with it
     * @param publishAll whether each container port a node declares but does not publish gets a free host port the
     *                   engine picks (tests)
     */
    public record Options(Optional<String> session, boolean publishAll) {
        /** No reaper, no extra ports. */
        public static final Options PLAIN = new Options(Optional.empty(), false);
    }

    private final EngineConnection engine;
    private final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("ordo-docker"));
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2,
            DaemonThreads.named("ordo-docker-timer"));
    private final EngineWatch watch;
    private final EventHub hub;
    private final SecretStore secrets;
    private final SharedResources shared;
    private final DeploymentNetworks networks;
    private final ImageSupply images;
    private final Containers containers;
    private final ContainerMaker maker;
    private final Removals removals;
    private final Staging staging;
    private final Stopper stopper;
    private final NodeRuns runs;
    private final ContainerLogs logs;
    /** Per deployment: how its nodes on this engine reach nodes on other engines (none on a single engine). */
    private final Map<String, CrossEngine> crossEngine = new ConcurrentHashMap<>();

    private DockerRuntime(EngineConnection engine, Options options) {
        this.engine = engine;
        this.watch = new EngineWatch(engine.name(), engine::ping, this::listening);
        this.hub = new EventHub(engine.streams(), timer, () -> pool.execute(watch::check));
        ResourceLabels stamp = new ResourceLabels(options.session());
        this.images = new ImageSupply(engine);
        this.secrets = new SecretStore(engine);
        this.networks = new DeploymentNetworks(engine);
        this.shared = new SharedResources(engine, networks, stamp);
        this.containers = new Containers(engine, hub);
        this.removals = new Removals(pool);
        this.maker = new ContainerMaker(engine, containers, networks, secrets, new StartGate(PARALLEL_STARTS),
                stamp, options.publishAll());
        this.staging = new Staging(maker, containers, images, removals, pool);
        this.stopper = new Stopper(engine, hub, containers, removals, pool);
        this.logs = new ContainerLogs(engine);
        this.runs = new NodeRuns(hub, watch, removals, logs, new Probers(engine, pool, timer), pool);
        watch.start(timer, pool);
    }

    /** Connects (lazily: nothing is sent until the first call) to the engine at {@code host}. */
    public static DockerRuntime connect(URI host) {
        return connect(host, Optional.empty(), Optional.empty(), Options.PLAIN);
    }

    /**
     * Connects lazily to engine {@code name} at {@code host}, with TLS from {@code certPath} when given (else from
     * {@code DOCKER_TLS_VERIFY} / {@code DOCKER_CERT_PATH}).
     */
    public static DockerRuntime connect(URI host, Optional<String> name, Optional<Path> certPath, Options options) {
        return new DockerRuntime(EngineConnection.open(host, name, certPath), options);
    }

    private Set<NodeEvents> listening() {
        return runs.listening();
    }

    /** The engine's version, e.g. {@code 20.10.24}; throws naming the engine and the fix when it does not answer. */
    public String engineVersion() {
        return engine.call("ask the Docker engine for its version",
                () -> engine.commands().versionCmd().exec().getVersion());
    }

    /** Imports the busybox stand-in image (and builds its variant with a health check) unless the engine has them. */
    public void ensureStandInImage() {
        engine.call("import the stand-in image " + StandInImage.REFERENCE, () -> {
            StandInImage.ensure(engine.commands(), engine.http());
            return null;
        });
    }

    /** Sets how {@code d}'s nodes on this engine reach its nodes on other engines. */
    public void crossEngine(Deployment d, CrossEngine addressing) {
        crossEngine.put(d.name(), addressing);
    }

    private ContainerSpec spec(Launch launch, Node effective) {
        return new ContainerSpec(launch, effective, crossEngine.getOrDefault(launch.deployment().name(),
                CrossEngine.NONE));
    }

    /** The gateway address of {@code d}'s default network on this engine: how its containers reach this machine. */
    public String networkGateway(Deployment d) {
        return networks.gateway(d);
    }

    /**
     * Prepares {@code d} on this engine, which runs the nodes {@code here} accepts: its networks, and the volumes
     * those nodes mount (an external volume must exist where its nodes run, not on every engine).
     */
    public void prepare(Deployment d, boolean standIns, Predicate<Node> here) {
        engineVersion(); // fails first, with the fix, when no engine answers
        hub.ensureRunning();
        if (standIns) {
            ensureStandInImage();
        }
        // copies of secrets whose container was removed behind Ordo's back (docker rm -f) go now
        secrets.sweep(d.name());
        shared.prepare(d, here);
    }

    /** Removes what {@code d} left on this engine: its containers, networks, secret files, and volumes if asked. */
    public void release(Deployment d, boolean removeVolumes) {
        try {
            removals.awaitAll(d.name()); // a failed removal is retried just below, and reported if it fails again
            // Defensive: containers the engine did not stop (e.g. a node dropped between runs) keep the network busy.
            for (Container c : containers.of(d.name())) {
                containers.remove(c.getId());
            }
            shared.release(d, removeVolumes);
        } finally {
            secrets.release(d.name());
        }
    }

    /** Starts {@code launch} as {@code effective} (the stand-in in a rehearsal), reporting to {@code events}. */
    public void start(Launch launch, Node effective, NodeEvents events) {
        hub.ensureRunning();
        runs.start(new LaunchContainers(spec(launch, effective), engine, containers, maker, staging, stopper, images),
                events);
    }

    /** Creates {@code launch}'s containers ahead of its start, when nothing is in the way (see {@link Staging}). */
    public void stage(Launch launch, Node effective) {
        staging.stage(spec(launch, effective));
    }

    /** Removes what {@link #stage} created for {@code launch}: core will not start it. */
    public void unstage(Launch launch) {
        staging.unstage(launch);
    }

    /** No more facts about {@code d}; what is staged for it goes. */
    public void detach(Deployment d) {
        staging.unstageAll(d.name());
        runs.detach(d);
        removals.awaitAll(d.name()); // a program may exit right after: no removal is left half done
    }

    /** Restarts replica {@code replica} of the node running as {@code key}, if this engine runs it. */
    public void restart(String deployment, String key, int replica) {
        runs.restart(deployment, key, replica);
    }

    /** Stops (and with {@code remove}, removes) the containers of {@code key}; {@code events} hears when done. */
    public void stop(String deployment, String key, Duration grace, boolean remove, NodeEvents events) {
        runs.end(deployment, key);
        stopper.stopNode(deployment, key, grace, remove, events);
    }

    /** What exists of {@code d} on this engine; {@code effectiveHash} says what this backend would run. */
    public List<ObservedNode> observe(Deployment d, Function<Node, String> effectiveHash) {
        removals.awaitAll(d.name());
        return engine.call("list the containers of '" + d.name() + "'",
                () -> new Observation(containers, engine.hostReachesContainers()).of(d, effectiveHash));
    }

    /** What a test asks of a running node on this engine. */
    public Inspection inspection() {
        return new Inspection(engine, containers, logs);
    }

    @Override
    public void close() {
        // removals a teardown asked for finish first: closing must not leave stopped containers behind
        removals.awaitAll();
        runs.quietAll();
        watch.stop();
        hub.close();
        pool.shutdownNow();
        timer.shutdownNow();
        engine.close();
    }
}
