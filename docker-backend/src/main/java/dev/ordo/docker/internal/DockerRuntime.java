package dev.ordo.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.spi.Labels;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.support.DaemonThreads;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the Docker backend does, on docker-java. The public {@code DockerBackend} delegates here so that no
 * docker-java type reaches a public signature. Three clients: one for commands, whose responses must come within
 * {@link #RESPONSE_TIMEOUT} (so that a hung engine cannot hang a run), one without a response timeout for long-lived
 * streams (events, followed logs, pulls, probe execs), and one for the engine watch's short pings.
 *
 * <pre>{@code
 * DockerRuntime rt = DockerRuntime.connect(URI.create("unix:///var/run/docker.sock"));
 * rt.prepare(deployment, false, node -> true);
 * }</pre>
 */
public final class DockerRuntime implements AutoCloseable {
    /** The longest a command to the engine may take before it counts as unanswered. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

    final DockerClient client;
    final DockerClient streams;
    final DockerHttpClient http;
    /** The raw transport without a response timeout, for long streams sent by hand (an authenticated pull). */
    final DockerHttpClient streamsHttp;
    private final DockerClient pinger;
    final URI host;
    /** How errors name this engine: {@code the Docker engine at unix:///...}, or with its name when it has one. */
    final String engine;
    final boolean hostReachesContainers;
    /** The session every resource this runtime creates is labelled with, if a reaper watches it. */
    volatile String session;
    /** Per deployment: how its nodes on this engine reach nodes on other engines (none on a single engine). */
    private final Map<String, CrossEngine> crossEngine = new ConcurrentHashMap<>();
    final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("ordo-docker"));
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("ordo-docker-timer"));
    final EventHub hub;
    final EngineWatch watch;
    /** A few at once: dockerd serialises much of a start, so more in parallel mostly slows each one down. */
    final StartGate startGate = new StartGate(3);
    /** Container removals still running after their node was reported stopped, by deployment/key. */
    final Removals removals = new Removals(pool);
    private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();
    /** Containers created ahead of their start (see {@link Staging}). */
    final Staging staging = new Staging(this);

    private DockerRuntime(DockerClient client, DockerClient streams, DockerHttpClient http,
                          DockerHttpClient streamsHttp, DockerClient pinger, URI host, String engine) {
        this.client = client;
        this.streams = streams;
        this.http = http;
        this.streamsHttp = streamsHttp;
        this.pinger = pinger;
        this.host = host;
        this.engine = engine;
        // On a local socket the bridge network's addresses are routable from this process; elsewhere (a remote
        // engine, Docker Desktop's VM) they usually are not, so http/tcp checks run inside the container instead.
        this.hostReachesContainers = "unix".equals(host.getScheme());
        this.hub = new EventHub(streams, timer);
        this.watch = new EngineWatch(engine, this::ping, this::listening);
        hub.onTrouble(() -> pool.execute(watch::check));
        watch.start(timer, pool);
    }

    /** Connects (lazily: nothing is sent until the first call) to the engine at {@code host}. */
    public static DockerRuntime connect(URI host) {
        return connect(host, java.util.Optional.empty(), java.util.Optional.empty());
    }

    /**
     * Connects lazily to engine {@code name} at {@code host}, with TLS from {@code certPath} when given (else from
     * {@code DOCKER_TLS_VERIFY} / {@code DOCKER_CERT_PATH}).
     */
    public static DockerRuntime connect(URI host, java.util.Optional<String> name,
                                        java.util.Optional<java.nio.file.Path> certPath) {
        DockerClientConfig config = EngineClients.config(host, certPath);
        DockerHttpClient commands = EngineClients.http(config, RESPONSE_TIMEOUT, 256);
        DockerHttpClient streaming = EngineClients.http(config, null, 256);
        DockerHttpClient pings = EngineClients.http(config, Duration.ofSeconds(EngineWatch.PING_TIMEOUT_SECONDS), 4);
        return new DockerRuntime(DockerClientImpl.getInstance(config, commands),
                DockerClientImpl.getInstance(config, streaming), commands, streaming,
                DockerClientImpl.getInstance(config, pings),
                host, name.map(n -> "the Docker engine '" + n + "' at " + host).orElse("the Docker engine at " + host));
    }

    private boolean ping() {
        try {
            pinger.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Set<NodeEvents> listening() {
        Set<NodeEvents> sinks = Collections.newSetFromMap(new IdentityHashMap<>());
        runs.values().forEach(r -> sinks.add(r.events));
        return sinks;
    }

    /** The engine's version, e.g. {@code 20.10.24}; throws naming the engine and the fix when it does not answer. */
    public String engineVersion() {
        return call("ask the Docker engine for its version", () -> client.versionCmd().exec().getVersion());
    }

    /** Imports the busybox stand-in image (and builds its variant with a health check) unless the engine has them. */
    public void ensureStandInImage() {
        call("import the stand-in image " + StandInImage.REFERENCE, () -> {
            StandInImage.ensure(client, http);
            return null;
        });
    }

    private volatile boolean warnedSecretsCopied;

    /**
     * Whether secret files are kept in memory on this machine and bind-mounted (an engine on this machine), rather
     * than copied into the container (a remote engine: said once, as a warning).
     */
    boolean secretsInMemory() {
        if (hostReachesContainers && SecretFiles.available()) {
            return true;
        }
        if (!warnedSecretsCopied) {
            warnedSecretsCopied = true;
            LOG.warn("{} is not on this machine (or /dev/shm is not writable): secret files are copied into the"
                    + " containers, where they sit in the writable layer and docker cp/export can read them", engine);
        }
        return false;
    }

    /** Whether each container port a node declares but does not publish gets a free host port (tests). */
    volatile boolean publishAll;

    /** From now on, publish every declared container port on a free host port the engine picks. */
    public void publishAllPorts() {
        this.publishAll = true;
    }

    /** The engine's host as this process reaches it: loopback for a local socket, else the address's host. */
    String hostAddress() {
        return hostReachesContainers || host.getHost() == null ? "127.0.0.1" : host.getHost();
    }

    /** Labels everything this runtime creates from now on with session {@code id}, for a {@link Reaper}. */
    public void session(String id) {
        this.session = id;
    }

    /** Sets how {@code d}'s nodes on this engine reach its nodes on other engines. */
    public void crossEngine(Deployment d, CrossEngine addressing) {
        crossEngine.put(d.name(), addressing);
    }

    /** How {@code deployment}'s nodes on this engine reach its nodes on other engines. */
    CrossEngine crossEngine(String deployment) {
        return crossEngine.getOrDefault(deployment, CrossEngine.NONE);
    }

    /** The gateway address of {@code d}'s default network on this engine: how its containers reach this machine. */
    public String networkGateway(Deployment d) {
        return new DeploymentNetworks(this).gateway(d);
    }

    /**
     * Prepares {@code d} on this engine, which runs the nodes {@code here} accepts: its networks, and the volumes
     * those nodes mount (an external volume must exist where its nodes run, not on every engine).
     */
    public void prepare(Deployment d, boolean standIns, java.util.function.Predicate<Node> here) {
        engineVersion(); // fails first, with the fix, when no engine answers
        hub.ensureRunning();
        if (standIns) {
            ensureStandInImage();
        }
        new SharedResources(this).prepare(d, here);
    }

    public void release(Deployment d, boolean removeVolumes) {
        try {
            releaseContainers(d, removeVolumes);
        } finally {
            if (hostReachesContainers) {
                SecretFiles.release(d.name());
            }
        }
    }

    private void releaseContainers(Deployment d, boolean removeVolumes) {
        removals.awaitAll(d.name()); // a failed removal is retried just below, and reported if it fails again
        // Defensive: containers the engine did not stop (e.g. a node dropped between runs) keep the network busy.
        for (Container c : containers(d.name())) {
            removeQuietly(c.getId());
        }
        new SharedResources(this).release(d, removeVolumes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // start / stop / detach

    public void start(Launch launch, Node effective, NodeEvents events) {
        hub.ensureRunning();
        String key = launch.deployment().name() + "/" + launch.key();
        NodeRun run = new NodeRun(this, launch, effective, events);
        NodeRun previous = runs.put(key, run);
        if (previous != null) {
            previous.quiet();
        }
        Future<?> removing = removals.take(key);
        if (removing == null) {
            run.begin();
        } else {
            // the new containers take the old ones' names: let the removal finish first
            pool.execute(() -> {
                Removals.awaitQuietly(removing);
                run.begin();
            });
        }
    }

    /** Creates {@code launch}'s containers ahead of its start, when nothing is in the way (see {@link Staging}). */
    public void stage(Launch launch, Node effective) {
        staging.stage(launch, effective);
    }

    /** Removes what {@link #stage} created for {@code launch}: core will not start it. */
    public void unstage(Launch launch) {
        staging.unstage(launch);
    }

    public void detach(Deployment d) {
        staging.unstageAll(d.name());
        runs.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(d.name() + "/")) {
                e.getValue().quiet();
                return true;
            }
            return false;
        });
    }

    /** Restarts replica {@code replica} of the node running as {@code key}, if this engine runs it. */
    public void restart(String deployment, String key, int replica) {
        NodeRun run = runs.get(deployment + "/" + key);
        if (run != null) {
            run.restart(replica);
        }
    }

    public void stop(String deployment, String key, Duration grace, boolean remove, NodeEvents events) {
        NodeRun run = runs.remove(deployment + "/" + key);
        if (run != null) {
            run.quiet();
        }
        pool.execute(() -> {
            try {
                int at = key.indexOf('@');
                List<Container> cs = containersOf(deployment, at < 0 ? key : key.substring(0, at),
                        at < 0 ? Optional.empty() : Optional.of(key.substring(at + 1)));
                List<Future<?>> done = new ArrayList<>();
                Stopper stopper = new Stopper(this);
                for (Container c : cs) {
                    done.add(pool.submit(() -> stopper.stop(c, grace)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                if (remove) {
                    // The nodes this one depends on only wait for it to have stopped; removing its containers (the
                    // engine handles removals about one at a time) overlaps their stops. observe(), release() and
                    // start() wait for it.
                    removals.add(deployment + "/" + key, () -> cs.forEach(c -> removeQuietly(c.getId())));
                }
                events.stopped(key);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                if (DockerCalls.unreachable(cause)) {
                    events.unreachable(engine, DockerCalls.describe(cause), "start it again,"
                            + " then run down again");
                    // A teardown that goes on despite the outage (the deployment spans engines) moves past it.
                    events.refused(key, engine + " does not answer; node '" + key + "' may still run there: start"
                            + " the engine again, then run down again");
                } else {
                    events.refused(key, "stopping node '" + key + "' failed: " + DockerCalls.describe(cause)
                            + "; check the engine (docker ps -a --filter label=" + Labels.NODE + "=" + key + ")");
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // observe and shared helpers

    public List<ObservedNode> observe(Deployment d, Function<Node, String> effectiveHash) {
        removals.awaitAll(d.name());
        return call("list the containers of '" + d.name() + "'", () -> new Observation(this).of(d, effectiveHash));
    }

    void removeQuietly(String id) {
        hub.forget(id);
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // already gone
        } catch (DockerException e) {
            if (e.getHttpStatus() != 409) { // 409: removal already in progress
                throw e;
            }
        }
    }

    /** Ordo's containers of a deployment, in any state. */
    List<Container> containers(String deployment) {
        return call("list containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.DEPLOYMENT + "=" + deployment)).exec());
    }

    /** The containers of {@code node} (of triggered run {@code run}, or of no run) in any state. */
    List<Container> containersOf(String deployment, String node, Optional<String> run) {
        List<String> filter = new ArrayList<>(List.of(Labels.DEPLOYMENT + "=" + deployment, Labels.NODE + "=" + node));
        run.ifPresent(r -> filter.add(Labels.RUN + "=" + r));
        List<Container> all = client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
        return run.isPresent() ? all : all.stream()
                .filter(c -> !DockerCalls.labels(c.getLabels()).containsKey(Labels.RUN)).toList();
    }

    /** The last {@code lines} lines a container printed after {@code since}: see {@link LogTail}. */
    List<String> logTail(String containerId, Instant since, int lines) {
        return new LogTail(client).of(containerId, since, lines);
    }

    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (OrdoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OrdoException(DockerCalls.unreachable(e) ? "cannot " + what + ": " + engine
                    + " does not answer (" + DockerCalls.describe(e) + "); start it (as root: scripts/ensure-docker.sh)"
                    + " or point DOCKER_HOST at a running engine" : "cannot " + what + ": " + DockerCalls.describe(e), e);
        }
    }

    @Override
    public void close() {
        // removals a teardown asked for finish first: closing must not leave stopped containers behind
        removals.awaitAll();
        runs.values().forEach(NodeRun::quiet);
        watch.stop();
        hub.close();
        pool.shutdownNow();
        timer.shutdownNow();
        for (DockerClient c : List.of(client, streams, pinger)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing a Docker client", e);
            }
        }
    }
}
