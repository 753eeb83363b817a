package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.spi.support.DaemonThreads;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the backend's work against one cluster: creates, reuses, deletes and follows the objects of Ordo's nodes.
 * The public {@code KubernetesBackend} delegates here so that no fabric8 type leaks into its signatures.
 *
 * <pre>{@code
 * KubernetesDriver driver = new KubernetesDriver(Clients.connect(URI.create("http://localhost:8001")), null);
 * driver.prepare(deployment);
 * }</pre>
 */
public final class KubernetesDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDriver.class);
    /** How long a deletion may take beyond the grace period before Ordo gives up waiting. */
    private static final Duration DELETE_SLACK = Duration.ofSeconds(60);
    private static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "Job", "CronJob");

    private final KubernetesClient client;
    private final String target;
    private final String fixedNamespace;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final Map<String, DeploymentWatch> watches = new ConcurrentHashMap<>();
    /** One lock per deployment/node: a stop must not overtake a start of the same node still creating objects. */
    private final Map<String, Object> nodeLocks = new ConcurrentHashMap<>();

    /**
     * @param namespace the namespace every deployment goes to, or {@code null} for one namespace per deployment,
     *                  named after it
     */
    public KubernetesDriver(Clients.Connection connection, String namespace) {
        this.client = connection.client();
        this.target = connection.target();
        this.fixedNamespace = namespace;
        this.executor = Executors.newCachedThreadPool(DaemonThreads.named("ordo-k8s"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ordo-k8s-timer"));
    }

    /** Where the driver connects, for messages. */
    public String target() {
        return target;
    }

    /** The namespace {@code deployment}'s objects live in. */
    public String namespaceOf(String deployment) {
        return fixedNamespace != null ? fixedNamespace : deployment;
    }

    // ---------------------------------------------------------------------------------------------- prepare

    /** Creates the namespace, the volume claims and the secrets, reusing those Ordo created before. */
    public void prepare(Deployment deployment) {
        String ns = namespaceOf(deployment.name());
        Namespace existing = call("get", "namespaces", null, () -> client.namespaces().withName(ns).get());
        if (existing == null) {
            call("create", "namespaces", null,
                    () -> client.resource(ObjectFactory.namespace(deployment.name(), ns)).create());
        }
        for (PersistentVolumeClaim claim : ObjectFactory.claims(deployment, ns)) {
            PersistentVolumeClaim found = call("get", "persistentvolumeclaims", ns,
                    () -> client.persistentVolumeClaims().inNamespace(ns).withName(claim.getMetadata().getName())
                            .get());
            if (found == null) {
                call("create", "persistentvolumeclaims", ns, () -> client.resource(claim).create());
            } else {
                requireOurs(found, deployment.name(), "named volume");
            }
        }
        for (String name : ObjectFactory.usedSecrets(deployment)) {
            dev.ordo.Secret secret = deployment.secrets().get(name);
            if (secret == null) {
                continue; // validation reports unknown secrets; nothing to deliver here
            }
            Secret wanted = ObjectFactory.secret(deployment, secret, ns, true);
            Secret found = call("get", "secrets", ns,
                    () -> client.secrets().inNamespace(ns).withName(wanted.getMetadata().getName()).get());
            if (found == null) {
                call("create", "secrets", ns, () -> client.resource(wanted).create());
            } else {
                requireOurs(found, deployment.name(), "secret");
                if (!Objects.equals(found.getData(), wanted.getData())) {
                    found.setData(wanted.getData());
                    call("update", "secrets", ns, () -> client.resource(found).update());
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- start

    /** Starts the launch's node on a worker thread and reports through {@code events}. */
    public void start(Launch launch, NodeEvents events) {
        executor.execute(() -> {
            try {
                synchronized (lockOf(launch.deployment().name(), launch.node().name())) {
                    doStart(launch, events);
                }
            } catch (OrdoException e) {
                events.failed(launch.node().name(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.debug("start of {} failed", launch.node().name(), e);
                events.failed(launch.node().name(), "starting node '" + launch.node().name() + "' on Kubernetes failed: "
                        + e);
            }
        });
    }

    private void doStart(Launch launch, NodeEvents events) {
        Deployment deployment = launch.deployment();
        Node node = launch.node();
        String ns = namespaceOf(deployment.name());
        DeploymentWatch watch = watch(deployment.name(), ns);
        String kind = ObjectFactory.workloadKind(node);
        String hash = node.configHash();

        HasMetadata keep = null;
        for (HasMetadata existing : findWorkloads(ns, node.name())) {
            if (!K8sNames.isOurs(existing, deployment.name())) {
                events.failed(node.name(), clash(existing, deployment.name(), ns));
                return;
            }
            if (!launch.recreate() && existing.getKind().equals(kind) && hash.equals(K8sNames.hashOf(existing))) {
                keep = existing;
            } else {
                LOG.info("replacing {} {} of node '{}' (configuration changed or recreate asked)",
                        existing.getKind(), existing.getMetadata().getName(), node.name());
                delete(deployment.name(), node.name(), existing, Duration.ofSeconds(
                        ObjectFactory.seconds(node.container().stopGracePeriod())));
            }
        }
        ensureService(deployment, node, ns);
        ensureConfigMap(deployment, node, ns);

        boolean reused;
        String launchId;
        if (keep != null) {
            launchId = NodeTracker.launchOf(keep);
            reused = !resume(keep, node);
        } else {
            launchId = UUID.randomUUID().toString().substring(0, 8);
            HasMetadata workload = ObjectFactory.workload(deployment, node, ns, launchId);
            call("create", resourceOf(kind), ns, () -> client.resource(workload).create());
            reused = false;
        }
        watch.track(new NodeTracker(node, kind, launchId, reused, events, clusterFor(watch)));
    }

    /** Brings back a workload that {@link #stop} scaled down or suspended; whether there was anything to undo. */
    private boolean resume(HasMetadata workload, Node node) {
        String ns = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                && !Objects.equals(d.getSpec().getReplicas(), node.replicas())) {
            call("patch", "deployments", ns, () -> client.apps().deployments().inNamespace(ns).withName(name)
                    .scale(node.replicas()));
            return true;
        }
        if (workload instanceof StatefulSet s && !Objects.equals(s.getSpec().getReplicas(), node.replicas())) {
            call("patch", "statefulsets", ns, () -> client.apps().statefulSets().inNamespace(ns).withName(name)
                    .scale(node.replicas()));
            return true;
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j
                && Boolean.TRUE.equals(j.getSpec().getSuspend())) {
            call("patch", "jobs", ns, () -> client.batch().v1().jobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(false);
                        return x;
                    }));
            return true;
        }
        if (workload instanceof CronJob c && Boolean.TRUE.equals(c.getSpec().getSuspend())) {
            call("patch", "cronjobs", ns, () -> client.batch().v1().cronjobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(false);
                        return x;
                    }));
            return true;
        }
        return false;
    }

    /** Creates, updates or (when the node has no environment left) deletes the node's ConfigMap, before its pods read it. */
    private void ensureConfigMap(Deployment deployment, Node node, String ns) {
        var wanted = ObjectFactory.configMap(deployment, node, ns);
        String name = K8sNames.configMapName(node.name());
        var found = call("get", "configmaps", ns, () -> client.configMaps().inNamespace(ns).withName(name).get());
        if (found != null && !K8sNames.isOurs(found, deployment.name())) {
            throw new OrdoException(clash(found, deployment.name(), ns));
        }
        if (wanted.isEmpty()) {
            if (found != null) {
                call("delete", "configmaps", ns, () -> client.resource(found).delete());
            }
        } else if (found == null) {
            call("create", "configmaps", ns, () -> client.resource(wanted.get()).create());
        } else if (!Objects.equals(found.getData(), wanted.get().getData())
                || !Objects.equals(K8sNames.hashOf(found), K8sNames.hashOf(wanted.get()))) {
            call("update", "configmaps", ns, () -> client.resource(wanted.get()).update());
        }
    }

    private void ensureService(Deployment deployment, Node node, String ns) {
        var wanted = ObjectFactory.service(deployment, node, ns);
        var found = call("get", "services", ns, () -> client.services().inNamespace(ns).withName(node.name()).get());
        if (found != null) {
            if (!K8sNames.isOurs(found, deployment.name())) {
                throw new OrdoException(clash(found, deployment.name(), ns));
            }
            if (wanted.isPresent() && sameEndpoints(found, wanted.get())) {
                // Kept across a change of the node: deleting it would break other nodes' connections and DNS.
                return;
            }
            call("delete", "services", ns, () -> client.resource(found).delete());
            waitGone(found, Duration.ofSeconds(30));
        }
        wanted.ifPresent(s -> call("create", "services", ns, () -> client.resource(s).create()));
    }

    private static boolean sameEndpoints(io.fabric8.kubernetes.api.model.Service found,
            io.fabric8.kubernetes.api.model.Service wanted) {
        java.util.function.Function<io.fabric8.kubernetes.api.model.Service, List<String>> ports = svc ->
                svc.getSpec().getPorts().stream().map(p -> p.getPort() + "/" + p.getProtocol() + "->"
                        + p.getTargetPort().getIntVal()).sorted().toList();
        boolean foundHeadless = "None".equals(found.getSpec().getClusterIP());
        boolean wantedHeadless = "None".equals(wanted.getSpec().getClusterIP());
        return ports.apply(found).equals(ports.apply(wanted)) && foundHeadless == wantedHeadless
                && Objects.equals(found.getSpec().getSelector(), wanted.getSpec().getSelector());
    }

    // ---------------------------------------------------------------------------------------------- stop

    /** Stops (and, if asked, deletes) a node's objects on a worker thread, then reports {@code stopped}. */
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        executor.execute(() -> {
            try {
                synchronized (lockOf(deployment.name(), node)) {
                    doStop(deployment, node, mode);
                }
                events.stopped(node);
            } catch (OrdoException e) {
                events.failed(node, e.getMessage());
            } catch (RuntimeException e) {
                LOG.debug("stop of {} failed", node, e);
                events.failed(node, "stopping node '" + node + "' on Kubernetes failed: " + e);
            }
        });
    }

    private void doStop(Deployment deployment, String node, StopMode mode) {
        String ns = namespaceOf(deployment.name());
        DeploymentWatch watch = watches.get(deployment.name());
        if (watch != null) {
            watch.untrack(node);
        }
        for (HasMetadata existing : findWorkloads(ns, node)) {
            if (!K8sNames.isOurs(existing, deployment.name())) {
                LOG.warn("leaving {} {} in namespace {} alone: it lacks Ordo's labels", existing.getKind(),
                        existing.getMetadata().getName(), ns);
                continue;
            }
            if (mode.remove()) {
                delete(deployment.name(), node, existing, mode.gracePeriod());
            } else {
                suspend(existing);
                waitNoPods(deployment.name(), node, ns, mode.gracePeriod().plus(DELETE_SLACK));
            }
        }
        if (mode.remove()) {
            var service = call("get", "services", ns, () -> client.services().inNamespace(ns).withName(node).get());
            if (service != null && K8sNames.isOurs(service, deployment.name())) {
                call("delete", "services", ns, () -> client.resource(service).delete());
            }
            String configName = K8sNames.configMapName(node);
            var config = call("get", "configmaps", ns,
                    () -> client.configMaps().inNamespace(ns).withName(configName).get());
            if (config != null && K8sNames.isOurs(config, deployment.name())) {
                call("delete", "configmaps", ns, () -> client.resource(config).delete());
            }
        }
    }

    private void suspend(HasMetadata workload) {
        String ns = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        switch (workload.getKind()) {
            case "Deployment" -> call("patch", "deployments", ns,
                    () -> client.apps().deployments().inNamespace(ns).withName(name).scale(0));
            case "StatefulSet" -> call("patch", "statefulsets", ns,
                    () -> client.apps().statefulSets().inNamespace(ns).withName(name).scale(0));
            // Suspending a Job deletes its running pods and keeps the Job, so a later start can resume it.
            case "Job" -> call("patch", "jobs", ns, () -> client.batch().v1().jobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(true);
                        return x;
                    }));
            case "CronJob" -> call("patch", "cronjobs", ns, () -> client.batch().v1().cronjobs().inNamespace(ns)
                    .withName(name).edit(x -> {
                        x.getSpec().setSuspend(true);
                        return x;
                    }));
            default -> throw new IllegalStateException(workload.getKind());
        }
    }

    /** Deletes with foreground propagation and waits until the object and the node's pods are gone. */
    private void delete(String deployment, String node, HasMetadata object, Duration grace) {
        String ns = object.getMetadata().getNamespace();
        call("delete", resourceOf(object.getKind()), ns, () -> client.resource(object)
                .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .withGracePeriod(grace.toSeconds())
                .delete());
        waitGone(object, grace.plus(DELETE_SLACK));
        waitNoPods(deployment, node, ns, grace.plus(DELETE_SLACK));
    }

    private void waitGone(HasMetadata object, Duration timeout) {
        String what = object.getKind() + " '" + object.getMetadata().getName() + "' in namespace '"
                + object.getMetadata().getNamespace() + "'";
        awaitCondition(resourceOf(object.getKind()), object.getMetadata().getNamespace(),
                () -> client.resource(object).informOnCondition(List::isEmpty),
                () -> client.resource(object).get() == null, timeout,
                () -> what + " still exists " + timeout.toSeconds() + " s after Ordo deleted it; a finalizer may "
                        + "hold it: see 'kubectl describe " + object.getKind().toLowerCase(java.util.Locale.ROOT)
                        + " -n " + object.getMetadata().getNamespace() + " " + object.getMetadata().getName() + "'");
    }

    private void waitNoPods(String deployment, String node, String ns, Duration timeout) {
        Map<String, String> selector = K8sNames.selector(deployment, node);
        awaitCondition("pods", ns,
                () -> client.pods().inNamespace(ns).withLabels(selector).informOnCondition(List::isEmpty),
                () -> client.pods().inNamespace(ns).withLabels(selector).list().getItems().isEmpty(), timeout,
                () -> "the pods of node '" + node + "' in namespace '" + ns + "' still exist " + timeout.toSeconds()
                        + " s after Ordo stopped it; see 'kubectl get pods -n " + ns + " -l " + K8sNames.NAME + "="
                        + node + "'");
    }

    /**
     * Waits for a watch to see a condition hold. A watch can miss a change that happens between its initial list
     * and the start of the watch (an API server that cannot resume from the list's resource version); so, as a
     * fallback, the condition is also checked directly with a backoff of 0.5 s doubling to 8 s.
     */
    private void awaitCondition(String resource, String ns,
            java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>> watch,
            java.util.function.BooleanSupplier check, Duration timeout, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.concurrent.CompletableFuture<?> future = call("watch", resource, ns, watch);
        long slice = 500;
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new OrdoException(failure.get());
                }
                try {
                    future.get(Math.min(slice, left), TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (call("get", resource, ns, check::getAsBoolean)) {
                        return;
                    }
                    slice = Math.min(slice * 2, 8_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("interrupted while waiting: " + failure.get());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new OrdoException("watching failed (" + e.getCause() + "): " + failure.get(), e.getCause());
        } finally {
            future.cancel(true);
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
        Map<String, String> ours = K8sNames.deploymentSelector(deployment.name());
        call("delete", "secrets", ns, () -> client.secrets().inNamespace(ns).withLabels(ours).delete());
        call("delete", "services", ns, () -> client.services().inNamespace(ns).withLabels(ours).delete());
        call("delete", "configmaps", ns, () -> client.configMaps().inNamespace(ns).withLabels(ours).delete());
        if (!removeVolumes) {
            return;
        }
        call("delete", "persistentvolumeclaims", ns,
                () -> client.persistentVolumeClaims().inNamespace(ns).withLabels(ours).delete());
        if (fixedNamespace == null) {
            Namespace namespace = call("get", "namespaces", null, () -> client.namespaces().withName(ns).get());
            if (namespace != null && K8sNames.isOurs(namespace, deployment.name())) {
                call("delete", "namespaces", null, () -> client.resource(namespace).delete());
                // A terminating namespace refuses new objects, so an up right after this would fail: wait it out.
                waitGone(namespace, Duration.ofMinutes(2));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- observe

    /** One entry per node with a workload of the deployment, including nodes no longer defined. */
    public List<ObservedNode> observe(Deployment deployment) {
        String ns = namespaceOf(deployment.name());
        Map<String, String> ours = K8sNames.deploymentSelector(deployment.name());
        List<HasMetadata> workloads = new ArrayList<>();
        workloads.addAll(call("list", "deployments", ns,
                () -> client.apps().deployments().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(call("list", "statefulsets", ns,
                () -> client.apps().statefulSets().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(call("list", "jobs", ns,
                () -> client.batch().v1().jobs().inNamespace(ns).withLabels(ours).list().getItems()));
        workloads.addAll(call("list", "cronjobs", ns,
                () -> client.batch().v1().cronjobs().inNamespace(ns).withLabels(ours).list().getItems()));
        List<Pod> pods = call("list", "pods", ns,
                () -> client.pods().inNamespace(ns).withLabels(ours).list().getItems());
        List<ObservedNode> observed = new ArrayList<>();
        for (HasMetadata w : workloads) {
            String node = K8sNames.nodeOf(w);
            String launch = NodeTracker.launchOf(w);
            List<Pod> own = pods.stream().filter(p -> node.equals(K8sNames.nodeOf(p)))
                    .filter(p -> launch == null || launch.equals(p.getMetadata().getLabels().get(K8sNames.LAUNCH)))
                    .toList();
            observed.add(Observations.of(w, node, own));
        }
        return observed;
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    private Object lockOf(String deployment, String node) {
        return nodeLocks.computeIfAbsent(deployment + "/" + node, k -> new Object());
    }

    private List<HasMetadata> findWorkloads(String ns, String name) {
        List<HasMetadata> found = new ArrayList<>();
        for (String kind : WORKLOAD_KINDS) {
            HasMetadata o = call("get", resourceOf(kind), ns, () -> switch (kind) {
                case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(name).get();
                case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(name).get();
                case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(name).get();
                case "CronJob" -> client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
                default -> throw new IllegalStateException(kind);
            });
            if (o != null) {
                found.add(o);
            }
        }
        return found;
    }

    private DeploymentWatch watch(String deployment, String ns) {
        return watches.computeIfAbsent(deployment, d -> {
            try {
                return new DeploymentWatch(client, d, ns);
            } catch (KubernetesClientException e) {
                throw ApiErrors.explain(e, target, "watch", "pods,deployments,statefulsets,jobs,cronjobs", ns);
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
            public void schedule(Runnable task, Duration delay) {
                timer.schedule(() -> executor.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void reevaluate(NodeTracker tracker) {
                watch.evaluate(tracker);
            }
        };
    }

    private String clash(HasMetadata existing, String deployment, String ns) {
        return existing.getKind() + " '" + existing.getMetadata().getName() + "' already exists in namespace '" + ns
                + "' without Ordo's labels for deployment '" + deployment + "'; Ordo never touches objects it did "
                + "not create: rename the node, delete that object, or run the deployment in another namespace";
    }

    private void requireOurs(HasMetadata found, String deployment, String what) {
        if (!K8sNames.isOurs(found, deployment)) {
            throw new OrdoException("the " + what + "'s " + found.getKind() + " '" + found.getMetadata().getName()
                    + "' already exists in namespace '" + found.getMetadata().getNamespace()
                    + "' without Ordo's labels for deployment '" + deployment + "'; Ordo never touches objects it "
                    + "did not create: delete it or run the deployment in another namespace");
        }
    }

    static String resourceOf(String kind) {
        return switch (kind) {
            case "Deployment" -> "deployments";
            case "StatefulSet" -> "statefulsets";
            case "Job" -> "jobs";
            case "CronJob" -> "cronjobs";
            case "Service" -> "services";
            default -> kind.toLowerCase(java.util.Locale.ROOT) + "s";
        };
    }

    private <T> T call(String verb, String resource, String ns, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw ApiErrors.explain(e, target, verb, resource, ns);
        }
    }

    @Override
    public void close() {
        watches.values().forEach(DeploymentWatch::close);
        watches.clear();
        executor.shutdownNow();
        timer.shutdownNow();
        client.close();
    }

    /** Maps a workload and its pods to what the engine's {@code observe} wants. */
    static final class Observations {
        private Observations() {
        }

        static ObservedNode of(HasMetadata w, String node, List<Pod> pods) {
            String hash = K8sNames.hashOf(w);
            long running = pods.stream().filter(NodeTracker::isRunning).count();
            if (w instanceof io.fabric8.kubernetes.api.model.batch.v1.Job job) {
                var st = job.getStatus();
                boolean complete = st != null && st.getConditions().stream()
                        .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
                boolean failed = st != null && st.getConditions().stream()
                        .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
                if (complete || failed) {
                    return new ObservedNode(node, hash, ObservedNode.State.EXITED,
                            OptionalInt.of(complete ? 0 : 1), pods.size());
                }
                return new ObservedNode(node, hash, running > 0 ? ObservedNode.State.RUNNING
                        : ObservedNode.State.CREATED, OptionalInt.empty(), pods.size());
            }
            if (w instanceof CronJob c) {
                return new ObservedNode(node, hash, Boolean.TRUE.equals(c.getSpec().getSuspend())
                        ? ObservedNode.State.EXITED : ObservedNode.State.RUNNING, OptionalInt.empty(), pods.size());
            }
            int wanted = w instanceof StatefulSet s ? s.getSpec().getReplicas()
                    : ((io.fabric8.kubernetes.api.model.apps.Deployment) w).getSpec().getReplicas();
            boolean probed = ObjectFactory.podTemplate(w).getSpec().getContainers().stream()
                    .anyMatch(c -> c.getReadinessProbe() != null);
            ObservedNode.State state;
            if (wanted == 0) {
                state = ObservedNode.State.EXITED;
            } else if (running < wanted) {
                state = ObservedNode.State.CREATED;
            } else if (!probed) {
                state = ObservedNode.State.RUNNING;
            } else {
                state = NodeTracker.readyReplicas(w) >= wanted ? ObservedNode.State.HEALTHY
                        : ObservedNode.State.UNHEALTHY;
            }
            return new ObservedNode(node, hash, state, OptionalInt.empty(), pods.size());
        }
    }
}
