package dev.ordo.kubernetes;

import dev.ordo.Deployment;
import dev.ordo.kubernetes.internal.Clients;
import dev.ordo.kubernetes.internal.KubernetesDriver;
import dev.ordo.kubernetes.internal.KubernetesRules;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.ReplicaRestarts;
import dev.ordo.spi.RestartBackoff;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.support.DnsNames;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Runs Ordo plans on a Kubernetes cluster. Each service becomes a Deployment (a StatefulSet when it mounts a named
 * volume) plus a Service named after the node for its ports; each job a batch/v1 Job (a CronJob when scheduled);
 * named volumes become PersistentVolumeClaims, secrets Secret objects mounted as files (or referenced from an
 * environment variable when the node asked with {@code secretAsEnv}), and a node's plain environment a ConfigMap
 * {@code <node>-env} imported with {@code envFrom}. Readiness comes from
 * watches: a service is healthy once its workload reports all replicas ready, a job completes with the Job's
 * {@code Complete} condition. Every object carries {@code app.kubernetes.io/part-of} (the deployment),
 * {@code app.kubernetes.io/name} (the node), {@code app.kubernetes.io/managed-by: ordo} and Ordo's own labels, and
 * Ordo never modifies or deletes an object without them.
 *
 * <p>What the engine's conditions mean here: a service is {@code STARTED} once as many of its pods are in phase
 * {@code Running} with every container running as it has replicas, and {@code HEALTHY} once its workload reports
 * that many ready replicas (readiness probes passing; a log-line check is read from the pods' logs by Ordo). A job
 * is {@code STARTED} once its pod runs and {@code COMPLETED_SUCCESSFULLY} when the Job gets condition
 * {@code Complete}; condition {@code Failed} (after the Job's own retries) reports the failed pod's exit code with
 * the reason and the tail of its log.
 *
 * <p>Names are Compose's ({@code plausible_db}, {@code Web.UI}) in Ordo and lower-case DNS labels on Kubernetes:
 * every object is named by the mapped name ({@code plausible-db}), while labels keep the original, under which the
 * node's facts reach core; a secret's file keeps its name ({@code /run/secrets/db_password}). An alias that is a
 * DNS-1035 label gets a Service of its own. What Kubernetes cannot express is refused by {@link #prepare}, all at
 * once, naming each node and the fix: two names that map to one object name, a published port's host address,
 * SELinux relabelling and propagation without a Kubernetes form, internal and external networks, a user given by
 * name, the image's own health check, an on-failure restart limit, a node that is only built. An external volume is
 * an existing PersistentVolumeClaim, which Ordo mounts but never creates nor deletes. What it does differently (the
 * names mapped, a host name other pods no longer resolve, networks without isolation, an image built on Docker that
 * the cluster pulls) is logged once at prepare.
 *
 * <p>By default each deployment gets its own namespace, named after it (mapped); {@link #fromKubeConfig(String)} and
 * {@link #connect(URI, String)} put every deployment into one named namespace instead.
 *
 * <pre>{@code
 * try (KubernetesBackend k8s = KubernetesBackend.fromKubeConfig()) {
 *     RunReport report = Orchestrator.using(k8s).up(clp.plan());
 * }
 * }</pre>
 */
public final class KubernetesBackend implements Backend, ReplicaRestarts {
    private final KubernetesDriver driver;

    private KubernetesBackend(KubernetesDriver driver) {
        this.driver = driver;
    }

    /**
     * A backend for the current context of the kube config ({@code $KUBECONFIG}, else {@code ~/.kube/config}), or
     * for the cluster Ordo runs in; one namespace per deployment. Does not contact the cluster yet.
     *
     * @throws dev.ordo.OrdoException when there is no kube config and Ordo does not run inside a cluster
     */
    public static KubernetesBackend fromKubeConfig() {
        return new KubernetesBackend(new KubernetesDriver(Clients.fromKubeConfig(), null));
    }

    /**
     * Like {@link #fromKubeConfig()}, with every deployment in {@code namespace}.
     *
     * @throws dev.ordo.OrdoException when there is no kube config and Ordo does not run inside a cluster
     */
    public static KubernetesBackend fromKubeConfig(String namespace) {
        requireNamespace(namespace);
        return new KubernetesBackend(new KubernetesDriver(Clients.fromKubeConfig(), namespace));
    }

    /**
     * A backend for the API server at {@code apiServer}, sending no credentials (e.g. {@code kubectl proxy} at
     * {@code http://127.0.0.1:8001}, or a mock server in tests); one namespace per deployment.
     */
    public static KubernetesBackend connect(URI apiServer) {
        Objects.requireNonNull(apiServer, "apiServer == null");
        return new KubernetesBackend(new KubernetesDriver(Clients.connect(apiServer), null));
    }

    /** Like {@link #connect(URI)}, with every deployment in {@code namespace}. */
    public static KubernetesBackend connect(URI apiServer, String namespace) {
        Objects.requireNonNull(apiServer, "apiServer == null");
        requireNamespace(namespace);
        return new KubernetesBackend(new KubernetesDriver(Clients.connect(apiServer), namespace));
    }

    /**
     * Limits the requests this backend sends: at most {@code burst} at once, then {@code requestsPerSecond} (a
     * token bucket, as client-go's QPS and Burst; default 100 per second, bursts of 200), so that a large up stays
     * under the API server's own limits instead of meeting HTTP 429. Applies from now on; returns this backend.
     *
     * @throws IllegalArgumentException when the rate is not positive or the burst is below 1
     */
    public KubernetesBackend rateLimit(double requestsPerSecond, int burst) {
        driver.rateLimit(requestsPerSecond, burst);
        return this;
    }

    /** Rejects a name Kubernetes would refuse only once the first object is created, naming it and the fix. */
    static String requireNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace == null");
        if (!DnsNames.isLabel(namespace)) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a DNS-1123 label; use at most 63"
                    + " lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return namespace;
    }

    /** The namespace {@code deployment}'s objects live in. */
    public String namespaceOf(Deployment deployment) {
        return driver.namespaceOf(Objects.requireNonNull(deployment, "deployment == null").name());
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /**
     * Creates the namespace (if missing), the named volumes' claims and the Secret objects, after refusing what
     * Kubernetes cannot run (see above) and checking that every external volume's claim exists.
     */
    @Override
    public void prepare(Deployment deployment) {
        // what Kubernetes would refuse or cannot express is refused here, all of it at once, before anything is
        // created; what it does differently is logged once
        KubernetesRules.prepare(Objects.requireNonNull(deployment, "deployment == null"));
        driver.prepare(deployment);
    }

    @Override
    public void start(Launch launch, NodeEvents events) {
        driver.start(Objects.requireNonNull(launch, "launch == null"), Objects.requireNonNull(events, "events == null"));
    }

    /**
     * Deletes the node's workload, Service and ConfigMap (foreground propagation) when {@code mode.remove()}; otherwise
     * scales it to zero (a Job or CronJob: suspends it) so that a later start resumes it.
     */
    /**
     * Nothing to do: core asks only after the kubelet's own liveness kill was reported, and the kubelet restarts the
     * container itself, from the pod's {@code livenessProbe} with the same period, threshold and initial delay.
     */
    @Override
    public void restart(Deployment deployment, String node, int replica) {
    }

    @Override
    public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
        driver.stop(Objects.requireNonNull(deployment, "deployment == null"), Objects.requireNonNull(node, "node == null"),
                Objects.requireNonNull(mode, "mode == null"), Objects.requireNonNull(events, "events == null"));
    }

    /**
     * Deletes the deployment's Secrets, Services and ConfigMaps; its PersistentVolumeClaims, and its own namespace
     * (never a namespace given to {@link #fromKubeConfig(String)} or {@link #connect(URI, String)}), only when
     * {@code removeVolumes}.
     */
    @Override
    public void detach(Deployment deployment) {
        driver.detach(Objects.requireNonNull(deployment, "deployment == null"));
    }

    /** The kubelet's CrashLoopBackOff: core waits this long for a restarted container before it calls a crash. */
    @Override
    public RestartBackoff restartBackoff() {
        return RestartBackoff.KUBERNETES;
    }

    @Override
    public void release(Deployment deployment, boolean removeVolumes) {
        driver.release(Objects.requireNonNull(deployment, "deployment == null"), removeVolumes);
    }

    @Override
    public List<ObservedNode> observe(Deployment deployment) {
        return driver.observe(Objects.requireNonNull(deployment, "deployment == null"));
    }

    @Override
    public void close() {
        driver.close();
    }

    @Override
    public String toString() {
        return "KubernetesBackend[" + driver.target() + "]";
    }
}
