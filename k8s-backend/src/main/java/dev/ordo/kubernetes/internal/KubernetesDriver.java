package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.support.DaemonThreads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the Kubernetes backend does, on fabric8. The public {@code KubernetesBackend} delegates here so that no
 * fabric8 type leaks into its signatures. It carries out what core decides (keep or create a node's workload, run one
 * attempt of a job, stop, delete) and reports facts through the node trackers; when the API server stops answering
 * it says so once to every engine listening, within {@link #UNREACHABLE_BOUND}.
 *
 * <pre>{@code
 * KubernetesDriver driver = new KubernetesDriver(Clients.fromKubeConfig(), null);
 * driver.prepare(deployment);
 * }</pre>
 */
public final class KubernetesDriver implements AutoCloseable {
    /**
     * The longest an unanswering API server goes unnoticed while a node is followed: a refused connection is noticed
     * at the next heartbeat (every second); a server that hangs, after two heartbeats whose requests time out.
     */
    public static final Duration UNREACHABLE_BOUND = Duration.ofSeconds(2 * (1 + 10));
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDriver.class);

    private final KubernetesClient client;
    private final Api api;
    private final RequestLimiter limiter;
    /** Per deployment, what its namespace holds since its up began (see {@link ObjectIndex}). */
    private final Map<String, ObjectIndex> indexes = new ConcurrentHashMap<>();
    private final Removal removal;
    private final SharedObjects shared;
    private final String fixedNamespace;
    private final ExecutorService executor;
    /** A few starts at once: a thousand startable nodes must not mean a thousand threads each sending requests. */
    private final Semaphore starts = new Semaphore(MAX_PARALLEL_STARTS);
    static final int MAX_PARALLEL_STARTS = 16;
    private final ExecutorService facts;
    private final ScheduledExecutorService timer;
    private final Map<String, DeploymentWatch> watches = new ConcurrentHashMap<>();
    private final Map<String, Object> nodeLocks = new ConcurrentHashMap<>();
    private final Set<NodeEvents> told = Collections.newSetFromMap(new IdentityHashMap<>());
    private int misses;

    /**
     * @param namespace the namespace every deployment goes to, or {@code null} for one namespace per deployment,
     *                  named after it
     */
    public KubernetesDriver(Clients.Connection connection, String namespace) {
        this.client = connection.client();
        this.api = new Api(connection.target());
        this.limiter = connection.limiter();
        this.removal = new Removal(client, api);
        this.shared = new SharedObjects(client, api);
        this.fixedNamespace = namespace;
        this.executor = Executors.newCachedThreadPool(DaemonThreads.named("ordo-k8s"));
        // One thread for every fact: a node's facts reach the engine in the order the tracker saw them.
        this.facts = Executors.newSingleThreadExecutor(DaemonThreads.named("ordo-k8s-facts"));
        this.timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("ordo-k8s-timer"));
        timer.scheduleWithFixedDelay(() -> executor.execute(this::heartbeat), 1, 1, TimeUnit.SECONDS);
    }

    /** Where the driver connects, for messages. */
    public String target() {
        return api.target();
    }

    /** The namespace {@code deployment}'s objects live in. */
    public String namespaceOf(String deployment) {
        return fixedNamespace != null ? fixedNamespace : K8sNames.objectName(deployment);
    }

    /** Creates the namespace, the volume claims and the secrets, reusing those Ordo created before. */
    public void prepare(Deployment deployment) {
        shared.prepare(deployment, namespaceOf(deployment.name()));
        indexes.put(deployment.name(), new ObjectIndex(client, api, namespaceOf(deployment.name())));
    }

    // ---------------------------------------------------------------------------------------------- start

    /** Limits the requests sent from now on (see {@link RequestLimiter}). */
    public void rateLimit(double requestsPerSecond, int burst) {
        limiter.set(requestsPerSecond, burst);
    }

    /** Runs the launch on a worker thread and reports through {@code events}. */
    public void start(Launch launch, NodeEvents events) {
        executor.execute(() -> {
            try {
                starts.acquireUninterruptibly();
                try {
                    synchronized (lockOf(launch.deployment().name(), launch.key())) {
                        doStart(launch, events);
                    }
                } finally {
                    starts.release();
                }
            } catch (RuntimeException e) {
                if (Api.unreachable(e)) {
                    lost(e.getMessage());
                } else {
                    LOG.debug("start of {} failed", launch.key(), e);
                    events.report(new Fact.Refused(launch.key(), e instanceof OrdoException ? e.getMessage()
                            : "starting node '" + launch.node().name() + "' on Kubernetes failed: " + e));
                }
            }
        });
    }

    private void doStart(Launch launch, NodeEvents events) {
        Deployment deployment = launch.deployment();
        Node node = launch.node();
        String ns = namespaceOf(deployment.name());
        DeploymentWatch watch = watch(deployment.name(), ns);
        String kind = node instanceof Job ? "Job" : ObjectFactory.workloadKind(node);
        String name = K8sNames.workloadName(node.name(), launch.run());
        HasMetadata keep = null;
        ObjectIndex index = indexes.get(deployment.name());
        // a kept workload is read fresh (its replicas, suspension and status matter); a new one only needs its name
        boolean fresh = index == null || launch.mode() == Launch.Mode.KEEP;
        for (HasMetadata existing : fresh ? ObjectIndex.live(client, api, ns, name) : index.workloads(name)) {
            if (!K8sNames.isOurs(existing, deployment.name())) {
                events.report(new Fact.Refused(launch.key(), K8sNames.clash(existing, deployment.name(), ns)));
                return;
            }
            // whether what exists is current, core decided from the observed hash; a kind that no longer fits
            // the node (a service that gained a volume) cannot be kept whatever it runs
            if (launch.mode() == Launch.Mode.KEEP && existing.getKind().equals(kind)) {
                keep = existing;
            } else {
                LOG.info("replacing {} {} of node '{}' (configuration changed, or core asked for a new one)",
                        existing.getKind(), existing.getMetadata().getName(), node.name());
                removal.delete(deployment.name(), node.name(), existing, Duration.ofSeconds(
                        ObjectFactory.seconds(node.container().stopGracePeriod())));
                if (index != null) {
                    index.removed(existing);
                }
            }
        }
        if (launch.run().isEmpty()) {
            shared.ensureServices(deployment, node, ns, index);
            shared.ensureConfigMap(deployment, node, ns, index);
        }
        boolean reused;
        String launchId;
        if (keep != null) {
            launchId = NodeTracker.launchOf(keep);
            reused = !shared.resume(keep, node);
        } else {
            launchId = UUID.randomUUID().toString().substring(0, 8);
            HasMetadata workload = ObjectFactory.forBackend(deployment, node, ns, launchId, launch.run());
            HasMetadata created = api.call("create", Api.resourceOf(kind), ns, () -> client.resource(workload).create());
            if (index != null) {
                index.created(created);
            }
            reused = false;
        }
        watch.track(new NodeTracker(launch, node, kind, launchId, reused, events, clusterFor(watch)));
    }

    // ---------------------------------------------------------------------------------------------- stop

    /** Stops (and, if asked, deletes) a node's objects on a worker thread, then reports {@code stopped}. */
    public void stop(Deployment deployment, String key, StopMode mode, NodeEvents events) {
        DeploymentWatch watch = watches.get(deployment.name());
        if (watch != null) {
            watch.untrack(key); // a stopped node's pods going away is not a crash
        }
        executor.execute(() -> {
            try {
                synchronized (lockOf(deployment.name(), key)) {
                    doStop(deployment, key, mode);
                }
                events.report(new Fact.Stopped(key));
            } catch (RuntimeException e) {
                if (Api.unreachable(e)) {
                    events.report(new Fact.Unreachable("the Kubernetes API server at " + api.target(), e.getMessage(),
                            "make it reachable again, then run down again"));
                } else {
                    LOG.debug("stop of {} failed", key, e);
                    events.report(new Fact.Refused(key, e instanceof OrdoException ? e.getMessage()
                            : "stopping node '" + key + "' on Kubernetes failed: " + e));
                }
            }
        });
    }

    private void doStop(Deployment deployment, String key, StopMode mode) {
        String ns = namespaceOf(deployment.name());
        int at = key.indexOf('@');
        String node = at < 0 ? key : key.substring(0, at);
        String name = K8sNames.workloadName(node, at < 0 ? Optional.empty() : Optional.of(key.substring(at + 1)));
        ObjectIndex index = indexes.get(deployment.name());
        for (HasMetadata existing : ObjectIndex.live(client, api, ns, name)) {
            if (!K8sNames.isOurs(existing, deployment.name())) {
                LOG.warn("leaving {} {} in namespace {} alone: it lacks Ordo's labels", existing.getKind(),
                        existing.getMetadata().getName(), ns);
                continue;
            }
            if (mode.remove() || mode.gracePeriod().isZero()) {
                removal.delete(deployment.name(), node, existing, mode.gracePeriod());
                if (index != null) {
                    index.removed(existing);
                }
            } else {
                removal.suspend(existing);
                removal.waitNoPods(deployment.name(), node, Removal.runOf(existing), ns,
                        mode.gracePeriod().plus(Removal.DELETE_SLACK));
            }
        }
        if (mode.remove() && at < 0) {
            shared.removeNodeObjects(deployment, node, ns, index);
        }
    }

    /** The engine no longer listens to the deployment's nodes. */
    public void detach(Deployment deployment) {
        DeploymentWatch watch = watches.get(deployment.name());
        if (watch != null) {
            watch.untrackAll();
        }
    }

    // ---------------------------------------------------------------------------------------------- release

    /** Removes the shared objects; volume claims (and a namespace Ordo created) only when asked. */
    public void release(Deployment deployment, boolean removeVolumes) {
        String ns = namespaceOf(deployment.name());
        DeploymentWatch watch = watches.remove(deployment.name());
        if (watch != null) {
            watch.close();
        }
        shared.release(deployment, ns, removeVolumes, fixedNamespace == null, removal);
    }

    // ---------------------------------------------------------------------------------------------- observe

    /** One entry per node (or run step) with a workload of the deployment, including nodes no longer defined. */
    public List<ObservedNode> observe(Deployment deployment) {
        String ns = namespaceOf(deployment.name());
        Map<String, String> ours = K8sNames.deploymentSelector(deployment.name());
        List<HasMetadata> workloads = new ArrayList<>();
        workloads.addAll(api.call("list", "deployments", ns,
                () -> client.apps().deployments().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(api.call("list", "statefulsets", ns,
                () -> client.apps().statefulSets().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(api.call("list", "jobs", ns,
                () -> client.batch().v1().jobs().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(api.call("list", "cronjobs", ns,
                () -> client.batch().v1().cronjobs().inNamespace(ns).withLabels(ours).list().getItems()));
        List<Pod> pods = api.call("list", "pods", ns,
                () -> client.pods().inNamespace(ns).withLabels(ours).list().getItems());
        return Observations.of(deployment, workloads, pods, Instant.now());
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    /** A heartbeat while nodes are followed: two failures in a row mean the API server does not answer. */
    private void heartbeat() {
        if (watches.values().stream().allMatch(w -> w.trackers().isEmpty())) {
            return;
        }
        try {
            client.getKubernetesVersion();
            synchronized (told) {
                misses = 0;
                told.clear();
            }
        } catch (RuntimeException e) {
            boolean refused = refused(e);
            synchronized (told) {
                if (++misses < 2 && !refused) {
                    return; // a slow answer once is not an outage; a refused connection is
                }
            }
            lost(e.toString());
        }
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private void lost(String detail) {
        synchronized (told) {
            for (DeploymentWatch w : watches.values()) {
                for (NodeTracker t : w.trackers()) {
                    if (told.add(t.events())) {
                        t.events().report(new Fact.Unreachable("the Kubernetes API server at " + api.target(),
                                detail, "make the cluster reachable again (kubectl cluster-info tells), then run up"
                                        + " again: it converges from whatever is left"));
                    }
                }
            }
        }
    }

    private Object lockOf(String deployment, String key) {
        return nodeLocks.computeIfAbsent(deployment + "/" + key, k -> new Object());
    }

    private DeploymentWatch watch(String deployment, String ns) {
        return watches.computeIfAbsent(deployment, d -> {
            try {
                return new DeploymentWatch(client, d, ns);
            } catch (KubernetesClientException e) {
                throw ApiErrors.explain(e, api.target(), "watch", "pods,deployments,statefulsets,jobs,cronjobs", ns);
            }
        });
    }

    private NodeTracker.Cluster clusterFor(DeploymentWatch watch) {
        return new NodeTracker.Cluster() {
            @Override
            public List<String> logTail(String pod, int lines) {
                try {
                    String log = client.pods().inNamespace(watch.namespace()).withName(pod).tailingLines(lines)
                            .getLog();
                    return log == null || log.isEmpty() ? List.of() : List.of(log.split("\r?\n"));
                } catch (KubernetesClientException e) {
                    LOG.debug("cannot read the log of pod {}", pod, e);
                    return List.of("(log of pod " + pod + " unavailable: " + e.getCode() + ")");
                }
            }

            @Override
            public Optional<String> livenessKill(String pod) {
                return Observations.livenessKill(client, watch.namespace(), pod);
            }

            @Override
            public void schedule(Runnable task, Duration delay) {
                if (delay.isZero()) {
                    facts.execute(task);
                } else {
                    timer.schedule(() -> executor.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void reevaluate(NodeTracker tracker) {
                watch.evaluate(tracker);
            }
        };
    }

    @Override
    public void close() {
        watches.values().forEach(DeploymentWatch::close);
        watches.clear();
        executor.shutdownNow();
        facts.shutdownNow();
        timer.shutdownNow();
        client.close();
    }
}
