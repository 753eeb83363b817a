package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.docker.internal.DockerRuntime;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs deployments on a Docker engine: one bridge network per deployment (nodes reach each other by node name),
 * named volumes prefixed by the deployment, containers named {@code <deployment>-<node>-<n>}, and Ordo's
 * {@link dev.ordo.spi.Labels labels} on everything it creates. Readiness comes from the engine's event stream and
 * Ordo's own fast probes; secrets are copied in as files before a container starts.
 *
 * <pre>{@code
 * try (DockerBackend docker = DockerBackend.local()) {
 *     RunReport report = Orchestrator.using(docker).up(deployment.plan());
 * }
 * // a rehearsal: every image replaced by a local stand-in
 * Orchestrator.using(DockerBackend.local().withStandIns(StandIns.defaults())).up(deployment.plan());
 * }</pre>
 *
 * <p>Thread-safe. Closing it closes its connection and threads; containers keep running.
 */
public final class DockerBackend implements Backend {
    /** Where {@link #local()} connects when {@code DOCKER_HOST} is not set. */
    public static final URI DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");

    private final URI host;
    private final Optional<StandIns> standIns;
    private DockerRuntime runtime;
    private boolean closed;

    private DockerBackend(URI host, Optional<StandIns> standIns) {
        this.host = host;
        this.standIns = standIns;
    }

    /** Created on first use, so that a backend only used to derive {@link #withStandIns} holds no resources. */
    private synchronized DockerRuntime runtime() {
        if (closed) {
            throw new IllegalStateException("this DockerBackend is closed; create a new one with DockerBackend.local()");
        }
        if (runtime == null) {
            runtime = DockerRuntime.connect(host);
        }
        return runtime;
    }

    /** The engine named by {@code DOCKER_HOST}, else the local socket {@link #DEFAULT_HOST}. Connects lazily. */
    public static DockerBackend local() {
        String env = System.getenv("DOCKER_HOST");
        return connect(env == null || env.isBlank() ? DEFAULT_HOST : URI.create(env.trim()));
    }

    /**
     * The engine at {@code host}: {@code unix:///path/to/docker.sock} or {@code tcp://host:port} (TLS settings
     * from {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}). Connects lazily.
     */
    public static DockerBackend connect(URI host) {
        Objects.requireNonNull(host, "host == null");
        String scheme = host.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme) && !"npipe".equals(scheme)) {
            throw new IllegalArgumentException("Docker host '" + host + "' must be a unix://, tcp:// or npipe:// URI, "
                    + "e.g. unix:///var/run/docker.sock");
        }
        return new DockerBackend(host, Optional.empty());
    }

    /**
     * A backend on the same engine that rehearses: every node's image is replaced by a local stand-in that
     * behaves as {@code standIns} says. Nothing is pulled. This backend is left as it is (and has its own
     * connection, opened on first use).
     */
    public DockerBackend withStandIns(StandIns standIns) {
        return new DockerBackend(host, Optional.of(Objects.requireNonNull(standIns, "standIns == null")));
    }

    /** The engine this backend talks to. */
    public URI host() {
        return host;
    }

    /** The stand-in settings, when this backend rehearses. */
    public Optional<StandIns> standIns() {
        return standIns;
    }

    /**
     * The engine's version, e.g. {@code 20.10.24}: a cheap way to check the engine answers.
     *
     * @throws dev.ordo.OrdoException naming the engine and how to start one when it does not answer
     */
    public String engineVersion() {
        return runtime().engineVersion();
    }

    @Override
    public String name() {
        return standIns.isPresent() ? "docker (stand-ins)" : "docker";
    }

    @Override
    public void prepare(Deployment deployment) {
        runtime().prepare(Objects.requireNonNull(deployment, "deployment == null"), standIns.isPresent());
    }

    @Override
    public void start(Launch launch, NodeEvents events) {
        Objects.requireNonNull(launch, "launch == null");
        Objects.requireNonNull(events, "events == null");
        Node node = launch.node();
        Node effective = standIns.map(s -> StandInRewrite.of(node, s, launch.attempt())).orElse(node);
        runtime().start(launch, effective, events);
    }

    @Override
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        Objects.requireNonNull(deployment, "deployment == null");
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(events, "events == null");
        runtime().stop(deployment.name(), node, mode.gracePeriod(), mode.remove(), events);
    }

    @Override
    public void detach(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        DockerRuntime rt;
        synchronized (this) {
            rt = runtime;
        }
        if (rt != null) {
            rt.detach(deployment);
        }
    }

    @Override
    public void release(Deployment deployment, boolean removeVolumes) {
        runtime().release(Objects.requireNonNull(deployment, "deployment == null"), removeVolumes);
    }

    @Override
    public List<ObservedNode> observe(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        // a container is kept only when it runs exactly what this backend would run: the stand-in's hash decides
        return runtime().observe(deployment, n -> standIns.map(s -> StandInRewrite.of(n, s, 1)).orElse(n)
                .configHash());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (runtime != null) {
            runtime.close();
        }
    }

    @Override
    public String toString() {
        return "DockerBackend[" + host + (standIns.isPresent() ? ", stand-ins" : "") + "]";
    }
}
