package dev.ordo.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.spi.support.DaemonThreads;
import dev.ordo.spi.Labels;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the Docker backend does, on docker-java. The public {@code DockerBackend} delegates here so that no
 * docker-java type reaches a public signature.
 *
 * <pre>{@code
 * DockerRuntime rt = DockerRuntime.connect(URI.create("unix:///var/run/docker.sock"));
 * rt.prepare(deployment, false);
 * }</pre>
 */
public final class DockerRuntime implements AutoCloseable {
    /** Hash of the configuration actually run (differs from {@link Labels#CONFIG_HASH} in stand-in mode). */
    public static final String EFFECTIVE_HASH = "dev.ordo.docker.effective-hash";
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private static final Pattern EXITED = Pattern.compile("Exited \\((-?\\d+)\\)");

    final DockerClient client;
    final DockerHttpClient http;
    final URI host;
    final boolean hostReachesContainers;
    final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("ordo-docker"));
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("ordo-docker-timer"));
    final EventHub hub;
    /** Container removals still running after their node was reported stopped, by deployment/node. */
    private final Map<String, Future<?>> removals = new ConcurrentHashMap<>();
    /** A few at once: dockerd serialises much of a start, so more in parallel mostly slows each one down. */
    final StartGate startGate = new StartGate(3);
    private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();

    private DockerRuntime(DockerClient client, DockerHttpClient http, URI host) {
        this.client = client;
        this.http = http;
        this.host = host;
        // On a local socket the bridge network's addresses are routable from this process; elsewhere (a remote
        // engine, Docker Desktop's VM) they usually are not, so http/tcp checks run inside the container instead.
        this.hostReachesContainers = "unix".equals(host.getScheme());
        this.hub = new EventHub(client, timer);
    }

    /** Connects (lazily: nothing is sent until the first call) to the engine at {@code host}. */
    public static DockerRuntime connect(URI host) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(256)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return new DockerRuntime(DockerClientImpl.getInstance(config, http), http, host);
    }

    /** The engine's version, e.g. {@code 20.10.24}; throws naming the engine and the fix when it does not answer. */
    public String engineVersion() {
        return call("ask the Docker engine for its version", () -> client.versionCmd().exec().getVersion());
    }

    /** Imports the busybox stand-in image unless the engine has it. */
    public void ensureStandInImage() {
        call("import the stand-in image " + StandInImage.REFERENCE, () -> {
            StandInImage.ensure(client, http);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // prepare / release

    /** The network a deployment's containers share. */
    public static String networkName(String deployment) {
        return deployment + "-network";
    }

    /** The Docker name of a deployment's named volume. */
    public static String volumeName(String deployment, String volume) {
        return deployment + "-" + volume;
    }

    /** The Docker name of a node's replica container. */
    public static String containerName(String deployment, String node, int replica) {
        return deployment + "-" + node + "-" + replica;
    }

    public void prepare(Deployment d, boolean standIns) {
        engineVersion(); // fails first, with the fix, when no engine answers
        hub.ensureRunning();
        if (standIns) {
            ensureStandInImage();
        }
        String net = networkName(d.name());
        List<Network> existing = call("list networks", () -> client.listNetworksCmd().withNameFilter(net).exec());
        Network found = existing.stream().filter(n -> net.equals(n.getName())).findFirst().orElse(null);
        if (found == null) {
            call("create network " + net, () -> client.createNetworkCmd().withName(net).withDriver("bridge")
                    .withCheckDuplicate(true).withLabels(Map.of(Labels.DEPLOYMENT, d.name())).exec());
        } else if (!d.name().equals(labels(found.getLabels()).get(Labels.DEPLOYMENT))) {
            throw new OrdoException("deployment '" + d.name() + "' needs Docker network '" + net
                    + "', but a network of that name exists that Ordo did not create for this deployment; remove "
                    + "or rename it (docker network rm " + net + ") or rename the deployment");
        }
        for (String v : d.volumes()) {
            String name = volumeName(d.name(), v);
            try {
                var inspected = client.inspectVolumeCmd(name).exec();
                if (!d.name().equals(labels(inspected.getLabels()).get(Labels.DEPLOYMENT))) {
                    throw new OrdoException("deployment '" + d.name() + "' needs Docker volume '" + name
                            + "' for volume '" + v + "', but a volume of that name exists that Ordo did not create "
                            + "for this deployment; remove or rename it, or rename the volume or the deployment");
                }
            } catch (NotFoundException absent) {
                call("create volume " + name, () -> client.createVolumeCmd().withName(name)
                        .withLabels(Map.of(Labels.DEPLOYMENT, d.name(), "dev.ordo.volume", v)).exec());
            }
        }
    }

    public void release(Deployment d, boolean removeVolumes) {
        awaitRemovals(d.name()); // a failed removal is retried just below, and reported if it fails again
        // Defensive: containers of the deployment that the engine did not stop (e.g. a node dropped from the
        // deployment between runs) would keep the network busy.
        for (Container c : containers(d.name(), null)) {
            removeQuietly(c.getId());
        }
        List<Network> nets = call("list networks", () -> client.listNetworksCmd()
                .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec());
        for (Network n : nets) {
            call("remove network " + n.getName(), () -> {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
                return null;
            });
        }
        if (removeVolumes) {
            var volumes = call("list volumes", () -> client.listVolumesCmd()
                    .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec().getVolumes());
            for (var v : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of()
                    : volumes) {
                call("remove volume " + v.getName(), () -> {
                    try {
                        client.removeVolumeCmd(v.getName()).exec();
                    } catch (NotFoundException gone) {
                        // already gone
                    }
                    return null;
                });
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // start / stop

    /** The longest chain of nodes that (transitively) depend on {@code node}: how much waits on it. */
    static int downstreamDepth(Deployment d, String node) {
        return downstreamDepth(d, node, new java.util.HashMap<>());
    }

    private static int downstreamDepth(Deployment d, String node, Map<String, Integer> memo) {
        Integer known = memo.get(node);
        if (known != null) {
            return known;
        }
        memo.put(node, 0); // the model is acyclic, this only guards against surprises
        int depth = 0;
        for (Node n : d.nodes()) {
            for (var dep : n.dependencies()) {
                if (dep.target().equals(node)) {
                    depth = Math.max(depth, 1 + downstreamDepth(d, n.name(), memo));
                }
            }
        }
        memo.put(node, depth);
        return depth;
    }

    public void start(Deployment d, Node original, Node effective, boolean recreate, NodeEvents events) {
        hub.ensureRunning();
        String key = d.name() + "/" + original.name();
        NodeRun run = new NodeRun(this, d, original, effective, recreate, events);
        NodeRun previous = runs.put(key, run);
        if (previous != null) {
            previous.abandon();
        }
        Future<?> removing = removals.remove(key);
        if (removing == null) {
            run.begin();
        } else {
            // the new containers take the old ones' names: let the removal finish first
            pool.execute(() -> {
                awaitQuietly(removing);
                run.begin();
            });
        }
    }

    /** Waits for the container removals of {@code deployment} that stop() left running. */
    private void awaitRemovals(String deployment) {
        removals.forEach((key, pending) -> {
            if (key.startsWith(deployment + "/")) {
                awaitQuietly(pending);
                removals.remove(key, pending);
            }
        });
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.debug("background container removal failed", e.getCause());
        }
    }

    public void stop(String deployment, String node, Duration grace, boolean remove, NodeEvents events) {
        NodeRun run = runs.remove(deployment + "/" + node);
        if (run != null) {
            run.stopping();
        }
        pool.execute(() -> {
            try {
                List<Container> cs = containers(deployment, node);
                List<Future<?>> done = new ArrayList<>();
                for (Container c : cs) {
                    done.add(pool.submit(() -> stopOne(c, grace)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                if (remove) {
                    // The nodes this one depends on only wait for it to have stopped; removing its containers (the
                    // engine handles removals about one at a time) overlaps their stops. observe(), release() and start() wait.
                    removals.put(deployment + "/" + node, pool.submit(() -> cs.forEach(c -> removeQuietly(c.getId()))));
                }
                events.stopped(node);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                events.failed(node, "stopping node '" + node + "' failed: " + describe(cause)
                        + "; check the engine (docker ps -a --filter label=" + Labels.NODE + "=" + node + ")");
            }
        });
    }

    private void stopOne(Container c, Duration grace) {
        if ("running".equals(c.getState())) {
            signalThenWait(c.getId(), grace);
        } else if ("restarting".equals(c.getState()) || "paused".equals(c.getState())) {
            int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
            try {
                client.stopContainerCmd(c.getId()).withTimeout(seconds).exec();
            } catch (NotModifiedException | NotFoundException already) {
                // stopped or gone meanwhile
            }
        }
    }

    /**
     * What {@code docker stop} does, minus its wait for the engine's clean-up: sends the container's stop signal and
     * returns when the process has died (the engine's {@code die} event), so that the nodes this one depends on are
     * signalled while the engine still tears this one's network endpoint down. Past {@code grace}, SIGKILL. Sending
     * the container's own stop signal marks it stopped by the user, so its restart policy does not bring it back.
     */
    private void signalThenWait(String id, Duration grace) {
        hub.ensureRunning();
        String signal = stopSignalOf(id);
        if (signal == null) {
            return; // gone
        }
        java.util.concurrent.CompletableFuture<Void> died = hub.nextDeath(id);
        try {
            client.killContainerCmd(id).withSignal(signal).exec();
        } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException notRunning) {
            hub.forgetDeath(id);
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    died.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 500), TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException e) {
                    // the event stream may be reconnecting: ask the engine directly
                    var state = client.inspectContainerCmd(id).exec().getState();
                    if (!Boolean.TRUE.equals(state.getRunning())) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new OrdoException("waiting for container " + id.substring(0, 12) + " to stop failed: " + e.getCause());
        } catch (NotFoundException gone) {
            return;
        } finally {
            hub.forgetDeath(id);
        }
        try {
            client.stopContainerCmd(id).withTimeout(0).exec(); // the grace period is over: SIGKILL
        } catch (NotModifiedException | NotFoundException already) {
            // it died just now
        }
    }

    /** The container's stop signal (its image's STOPSIGNAL, else SIGTERM), or null when it is gone. */
    private String stopSignalOf(String id) {
        // docker-java's ContainerConfig has no StopSignal, so read the inspect document through the raw transport.
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/containers/" + id + "/json").build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            if (response.getStatusCode() == 404) {
                return null;
            }
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody());
            String configured = json.path("Config").path("StopSignal").asText("");
            return configured.isBlank() ? "SIGTERM" : configured;
        } catch (java.io.IOException e) {
            throw new OrdoException("inspecting container " + id.substring(0, 12) + " failed: " + e
                    + "; check that the Docker engine answers", e);
        }
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

    // ---------------------------------------------------------------------------------------------------------
    // observe

    public List<ObservedNode> observe(Deployment d) {
        awaitRemovals(d.name());
        Map<String, List<Container>> byNode = new LinkedHashMap<>();
        for (Container c : containers(d.name(), null)) {
            byNode.computeIfAbsent(labels(c.getLabels()).getOrDefault(Labels.NODE, "?"), k -> new ArrayList<>())
                    .add(c);
        }
        List<ObservedNode> out = new ArrayList<>();
        byNode.forEach((node, cs) -> out.add(observed(node, cs, d.node(node).flatMap(n -> n.container().healthCheck())
                .filter(hc -> hc.probe() instanceof HealthCheck.Http || hc.probe() instanceof HealthCheck.Tcp)
                .orElse(null))));
        return out;
    }

    /**
     * Docker knows nothing of the HTTP and TCP checks Ordo probes itself, so its status line cannot say whether such
     * a container is healthy: probe it once, from the host, to tell. Without a route to the container the answer
     * stays "running", never a guess.
     */
    private boolean probeOnce(Container c, HealthCheck hc) {
        if (!hostReachesContainers || c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
            return false;
        }
        String ip = c.getNetworkSettings().getNetworks().values().stream()
                .map(com.github.dockerjava.api.model.ContainerNetwork::getIpAddress)
                .filter(a -> a != null && !a.isEmpty()).findFirst().orElse(null);
        if (ip == null) {
            return false;
        }
        int timeout = (int) Math.min(1_000, hc.timeout().toMillis());
        try {
            if (hc.probe() instanceof HealthCheck.Http h) {
                java.net.HttpURLConnection conn = (java.net.HttpURLConnection)
                        new java.net.URL("http", ip, h.port(), h.path()).openConnection();
                try {
                    conn.setConnectTimeout(timeout);
                    conn.setReadTimeout(timeout);
                    conn.setInstanceFollowRedirects(false);
                    int code = conn.getResponseCode();
                    return code >= 200 && code < 400;
                } finally {
                    conn.disconnect();
                }
            }
            HealthCheck.Tcp t = (HealthCheck.Tcp) hc.probe();
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(ip, t.port()), timeout);
                return true;
            }
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private ObservedNode observed(String node, List<Container> cs, HealthCheck probedByOrdo) {
        String hash = labels(cs.get(0).getLabels()).getOrDefault(Labels.CONFIG_HASH, "");
        boolean anyRunning = false;
        boolean allHealthy = true;
        boolean anyUnhealthy = false;
        boolean allCreated = true;
        OptionalInt exit = OptionalInt.empty();
        for (Container c : cs) {
            String state = c.getState() == null ? "" : c.getState();
            String status = c.getStatus() == null ? "" : c.getStatus();
            if (!"created".equals(state)) {
                allCreated = false;
            }
            if ("running".equals(state) || "restarting".equals(state)) {
                anyRunning = true;
                anyUnhealthy |= status.contains("(unhealthy)");
                allHealthy &= status.contains("(healthy)")
                        || probedByOrdo != null && "running".equals(state) && probeOnce(c, probedByOrdo);
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
            s = anyUnhealthy ? ObservedNode.State.UNHEALTHY
                    : allHealthy ? ObservedNode.State.HEALTHY : ObservedNode.State.RUNNING;
            exit = OptionalInt.empty();
        } else if (allCreated) {
            s = ObservedNode.State.CREATED;
            exit = OptionalInt.empty();
        } else {
            s = ObservedNode.State.EXITED;
        }
        return new ObservedNode(node, hash, s, exit, cs.size());
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers shared with NodeRun

    /** Ordo's containers of a deployment (and node, when not null), in any state. */
    List<Container> containers(String deployment, String node) {
        List<String> filter = new ArrayList<>(List.of(Labels.DEPLOYMENT + "=" + deployment));
        if (node != null) {
            filter.add(Labels.NODE + "=" + node);
        }
        return call("list containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(filter).exec());
    }

    /** The last {@code lines} lines of a container's output, oldest first. */
    List<String> logTail(String containerId, int lines) {
        List<String> out = new ArrayList<>();
        LineSplitter split = new LineSplitter(out::add);
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            split.accept(f.getStreamType(), f.getPayload());
                        }

                        @Override
                        public void onError(Throwable t) {
                            // e.g. the container is being removed; the tail says so instead of a logged stack trace
                            out.add("(ordo: could not read the container's log: " + describe(t) + ")");
                            onComplete();
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.add("(ordo: could not read the container's log: " + describe(e) + ")");
        }
        split.flush();
        return out.size() > lines ? List.copyOf(out.subList(out.size() - lines, out.size())) : List.copyOf(out);
    }

    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (OrdoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OrdoException(unreachable(e) ? "cannot " + what + ": the Docker engine at " + host
                    + " does not answer (" + describe(e) + "); start it (as root: scripts/ensure-docker.sh) or "
                    + "point DOCKER_HOST at a running engine"
                    : "cannot " + what + ": " + describe(e), e);
        }
    }

    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.nio.file.NoSuchFileException
                    || t instanceof java.net.SocketException || t instanceof java.net.UnknownHostException) {
                return true;
            }
            if (t.getMessage() != null && (t.getMessage().contains("No such file or directory")
                    || t.getMessage().contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of an engine error: Docker's own message without docker-java's JSON wrapping. */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        Matcher m = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(msg);
        if (m.find()) {
            return m.group(1).replace("\\\"", "\"");
        }
        return msg.replace('\n', ' ').trim();
    }

    static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        runs.values().forEach(NodeRun::abandon);
        hub.close();
        pool.shutdownNow();
        timer.shutdownNow();
        try {
            client.close();
        } catch (Exception e) {
            LOG.debug("closing the Docker client", e);
        }
    }

    /**
     * Splits Docker's output frames into lines, per stream, keeping an unfinished line until its newline comes.
     */
    static final class LineSplitter {
        private final java.util.function.Consumer<String> sink;
        private final Map<Object, StringBuilder> partial = new LinkedHashMap<>();

        LineSplitter(java.util.function.Consumer<String> sink) {
            this.sink = sink;
        }

        synchronized void accept(Object stream, byte[] payload) {
            StringBuilder b = partial.computeIfAbsent(stream, k -> new StringBuilder());
            b.append(new String(payload, StandardCharsets.UTF_8));
            int nl;
            while ((nl = b.indexOf("\n")) >= 0) {
                String line = b.substring(0, nl);
                b.delete(0, nl + 1);
                sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }

        synchronized void flush() {
            partial.values().forEach(b -> {
                if (b.length() > 0) {
                    sink.accept(b.toString());
                    b.setLength(0);
                }
            });
        }
    }
}
