package dev.ordo.kubernetes.internal;

import dev.ordo.Container;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.spi.Labels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Ordo's model onto Kubernetes objects. Pure: it builds objects and never talks to a cluster, so the backend
 * and the manifest export produce the same objects.
 *
 * <pre>{@code
 * HasMetadata workload = ObjectFactory.workload(deployment, node, "clp", "a1b2c3d4");
 * }</pre>
 */
public final class ObjectFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectFactory.class);

    private ObjectFactory() {
    }

    /** The namespace object for a deployment. */
    public static Namespace namespace(String deployment, String namespace) {
        return new NamespaceBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(namespace)
                        .withLabels(K8sNames.sharedLabels(deployment)).build())
                .build();
    }

    /** Whether a node runs as a StatefulSet: a service with a named volume needs a stable identity. */
    public static boolean isStateful(Node node) {
        return node instanceof Service
                && node.container().mounts().stream().anyMatch(m -> m.type() == Mount.Type.VOLUME);
    }

    /** The Kubernetes kind a node's workload has. */
    public static String workloadKind(Node node) {
        if (node instanceof Job job) {
            // Scheduled and on-demand jobs too: their triggers' CronJobs are exported apart (TriggerManifests).
            return "Job";
        }
        return isStateful(node) ? "StatefulSet" : "Deployment";
    }

    /**
     * The workload running {@code node}: a Deployment, StatefulSet, Job or CronJob named after the node.
     *
     * @param launch a token that differs between creations of the same node, put on the pod template
     */
    public static HasMetadata workload(Deployment deployment, Node node, String namespace, String launch) {
        return workload(deployment, node, namespace, launch, Optional.empty(), false);
    }

    /**
     * The workload the backend runs {@code node} with: as {@link #workload(Deployment, Node, String, String)}, but a
     * Job runs exactly one attempt and has no deadline of its own (core retries a job by a new launch and keeps its
     * deadline), and a triggered run's step carries the run's id in its name and labels.
     */
    public static HasMetadata forBackend(Deployment deployment, Node node, String namespace, String launch,
                                         Optional<String> run) {
        return workload(deployment, node, namespace, launch, run, true);
    }

    private static HasMetadata workload(Deployment deployment, Node node, String namespace, String launch,
                                        Optional<String> run, boolean oneAttempt) {
        ObjectMeta meta = meta(deployment, node, namespace, K8sNames.workloadName(node.name(), run));
        run.ifPresent(r -> meta.getLabels().put(Labels.RUN, r));
        Map<String, String> podLabels = new LinkedHashMap<>(K8sNames.labels(deployment, node));
        podLabels.put(K8sNames.LAUNCH, launch);
        run.ifPresent(r -> podLabels.put(Labels.RUN, r));
        Map<String, String> podAnnotations = new LinkedHashMap<>(K8sNames.nodeAnnotation(node.name()));
        podAnnotations.put(K8sNames.HASH_ANNOTATION, node.configHash());
        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels)
                .withAnnotations(podAnnotations).endMetadata()
                .withSpec(podSpec(deployment, node, oneAttempt))
                .build();
        Map<String, String> selector = K8sNames.selector(deployment.name(), node.name());
        if (node instanceof Job job) {
            template.getSpec().setRestartPolicy("Never");
            JobSpec spec = new JobSpecBuilder()
                    .withBackoffLimit(oneAttempt ? 0 : job.backoffLimit())
                    .withActiveDeadlineSeconds(oneAttempt ? null
                            : job.activeDeadline().map(ObjectFactory::seconds).orElse(null))
                    .withTemplate(template)
                    .build();
            return new JobBuilder().withMetadata(meta).withSpec(spec).build();
        }
        Service service = (Service) node;
        // Deployments and StatefulSets only allow restartPolicy Always. NO is the model's default, so only the
        // explicit ON_FAILURE deserves a warning; NO is mentioned at debug level.
        if (service.restartPolicy() == RestartPolicy.ON_FAILURE) {
            LOG.warn("service '{}' asks for restart policy ON_FAILURE, but Kubernetes always restarts a Deployment's "
                    + "or StatefulSet's pods; make it a job if it should run to completion", node.name());
        } else if (service.restartPolicy() == RestartPolicy.NO) {
            LOG.debug("service '{}' has restart policy NO; on Kubernetes its pods are restarted anyway", node.name());
        }
        if (isStateful(node)) {
            return new StatefulSetBuilder().withMetadata(meta).withNewSpec()
                    .withReplicas(node.replicas())
                    .withServiceName(K8sNames.serviceName(node.name()))
                    .withVolumeClaimTemplates(Claims.owned(deployment, node).stream()
                            .map(v -> Claims.template(deployment, v)).toList())
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withTemplate(template)
                    .endSpec().build();
        }
        return new DeploymentBuilder().withMetadata(meta).withNewSpec()
                .withReplicas(node.replicas())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withTemplate(template)
                .endSpec().build();
    }

    /** The pod template spec inside any workload kind built here. */
    public static PodTemplateSpec podTemplate(HasMetadata workload) {
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (workload instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
            return j.getSpec().getTemplate();
        }
        if (workload instanceof CronJob c) {
            return c.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        throw new IllegalArgumentException("not a workload: " + workload.getKind());
    }

    static ObjectMeta meta(Deployment deployment, Node node, String namespace, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(K8sNames.labels(deployment, node))
                .withAnnotations(annotations(node))
                .build();
    }

    private static Map<String, String> annotations(Node node) {
        Map<String, String> annotations = new LinkedHashMap<>(K8sNames.nodeAnnotation(node.name()));
        annotations.put(K8sNames.HASH_ANNOTATION, node.configHash());
        node.container().healthCheck().ifPresent(h -> {
            if (h.probe() instanceof HealthCheck.LogLine l) {
                annotations.put(K8sNames.LOG_LINE_ANNOTATION, l.regex());
            }
        });
        return annotations;
    }

    /**
     * {@code forBackend}: the pod Ordo's engine follows, whose "unhealthy before ready" verdict is core's, so it has
     * no startup probe (the kubelet would kill a never-ready container while core still judges it); an export, which
     * runs without Ordo, gets one that counts as core would.
     */
    private static PodSpec podSpec(Deployment deployment, Node node, boolean forBackend) {
        Container c = node.container();
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        Set<String> owned = Claims.owned(deployment, node);
        int i = 0;
        for (Mount m : c.mounts()) {
            String volumeName = "mount-" + i++;
            if (m.type() == Mount.Type.VOLUME && owned.contains(m.source())) {
                // the StatefulSet's claim template of that name is the pod's volume
                mounts.add(new VolumeMountBuilder().withName(K8sNames.podVolumeName(m.source()))
                        .withMountPath(m.target())
                        .withReadOnly(m.readOnly() ? Boolean.TRUE : null).build());
                continue;
            }
            VolumeBuilder v = new VolumeBuilder().withName(volumeName);
            switch (m.type()) {
                case VOLUME -> v.withNewPersistentVolumeClaim()
                        .withClaimName(K8sNames.claimName(deployment, m.source())).endPersistentVolumeClaim();
                case TMPFS -> v.withNewEmptyDir().withMedium("Memory").endEmptyDir();
                case BIND -> {
                    LOG.warn("node '{}' bind-mounts host path '{}'; on Kubernetes that is a hostPath on whichever "
                            + "cluster node the pod lands on, usually not the machine running Ordo; prefer a named "
                            + "volume", node.name(), m.source());
                    v.withNewHostPath().withPath(m.source()).endHostPath();
                }
                default -> throw new AssertionError(m.type());
            }
            volumes.add(v.build());
            mounts.add(new VolumeMountBuilder().withName(volumeName).withMountPath(m.target())
                    .withReadOnly(m.readOnly() ? Boolean.TRUE : null)
                    .withMountPropagation(PodSettings.propagation(m.propagation())).build());
        }
        List<EnvVar> env = new ArrayList<>();
        boolean fromConfigMap = false;
        for (var e : new TreeMap<>(c.environment()).entrySet()) {
            if (SupportObjects.CONFIG_KEY.matcher(e.getKey()).matches()) {
                fromConfigMap = true;
            } else {
                // a name a ConfigMap cannot hold as a key stays inline
                env.add(new EnvVar(e.getKey(), e.getValue(), null));
            }
        }
        List<EnvFromSource> envFrom = new ArrayList<>();
        if (fromConfigMap) {
            envFrom.add(new EnvFromSourceBuilder().withNewConfigMapRef()
                    .withName(K8sNames.configMapName(node.name())).endConfigMapRef().build());
        }
        int s = 0;
        Long fsGroup = null;
        for (SecretRef ref : c.secrets()) {
            String secretName = K8sNames.secretName(deployment.name(), ref.secret());
            if (ref.isEnvironment()) {
                env.add(new EnvVarBuilder().withName(ref.environment()).withNewValueFrom().withNewSecretKeyRef()
                        .withName(secretName).withKey(SupportObjects.SECRET_KEY).endSecretKeyRef().endValueFrom().build());
                continue;
            }
            String volumeName = "secret-" + s++;
            volumes.add(new VolumeBuilder().withName(volumeName).withNewSecret().withSecretName(secretName)
                    .withDefaultMode(ref.mode()).endSecret().build());
            if (ref.gid() != 0 && fsGroup == null) {
                // a secret volume's files belong to root and to the pod's fsGroup: the group is how a non-root
                // user reads them here
                fsGroup = (long) ref.gid();
            }
            if (ref.uid() != 0) {
                LOG.warn("node '{}': Kubernetes mounts secret '{}' owned by root, not by uid {}; give the user group"
                        + " {} (the pod's fsGroup) and a group-readable mode such as 0440", node.name(), ref.secret(),
                        ref.uid(), ref.gid() != 0 ? ref.gid() : "of the secret");
            }
            // subPath mounts exactly one file, so several secrets can share a directory such as /run/secrets.
            mounts.add(new VolumeMountBuilder().withName(volumeName).withMountPath(ref.path())
                    .withSubPath(SupportObjects.SECRET_KEY).withReadOnly(true).build());
        }
        List<ContainerPort> ports = new ArrayList<>();
        for (Port p : c.ports()) {
            ports.add(new ContainerPortBuilder().withContainerPort(p.container())
                    .withProtocol(p.protocol().toUpperCase(Locale.ROOT)).build());
        }
        ContainerBuilder container = new ContainerBuilder()
                .withName(K8sNames.objectName(node.name()))
                .withImage(c.image())
                .withCommand(c.entrypoint().isEmpty() ? null : c.entrypoint())
                .withArgs(c.command().isEmpty() ? null : c.command())
                .withWorkingDir(c.workingDir().isEmpty() ? null : c.workingDir())
                .withEnv(env)
                .withEnvFrom(envFrom.isEmpty() ? null : envFrom)
                .withPorts(ports)
                .withVolumeMounts(mounts);
        c.healthCheck().ifPresent(h -> {
            Optional<Probe> readiness = probe(h, h.retries());
            readiness.ifPresent(container::withReadinessProbe);
            if (!forBackend && readiness.isPresent() && !h.startPeriod().isZero()) {
                long interval = Math.max(1, seconds(h.interval()));
                int threshold = (int) Math.max(1, (seconds(h.startPeriod()) + interval - 1) / interval) + h.retries();
                probe(h, threshold).ifPresent(container::withStartupProbe);
            }
        });
        PodSettings.container(c, container);
        PodSpecBuilder pod = new PodSpecBuilder();
        PodSettings.pod(c.scheduling(), pod);
        if (fsGroup != null) {
            // only a volume whose root does not match is re-owned, not every file at every start
            pod.withNewSecurityContext().withFsGroup(fsGroup).withFsGroupChangePolicy("OnRootMismatch")
                    .endSecurityContext();
        }
        return pod
                .withContainers(container.build())
                // a node's own containers get no API token; the waiters mount theirs explicitly (Waiters.attach)
                .withAutomountServiceAccountToken(false)
                .withVolumes(volumes)
                .withTerminationGracePeriodSeconds(seconds(c.stopGracePeriod()))
                .build();
    }

    static Optional<Probe> probe(HealthCheck h, int failureThreshold) {
        ProbeBuilder b = new ProbeBuilder()
                .withPeriodSeconds((int) Math.max(1, seconds(h.interval())))
                .withTimeoutSeconds((int) Math.max(1, seconds(h.timeout())))
                .withFailureThreshold(Math.max(1, failureThreshold));
        HealthCheck.Probe p = h.probe();
        if (p instanceof HealthCheck.Command cmd) {
            b.withNewExec().withCommand(cmd.argv()).endExec();
        } else if (p instanceof HealthCheck.Http http) {
            b.withNewHttpGet().withPort(new IntOrString(http.port())).withPath(http.path()).endHttpGet();
        } else if (p instanceof HealthCheck.Tcp tcp) {
            b.withNewTcpSocket().withPort(new IntOrString(tcp.port())).endTcpSocket();
        } else {
            // A log-line check has no probe equivalent: Ordo reads the pod's log itself. The image's own check is
            // refused before (KubernetesRules): Kubernetes cannot read it.
            return Optional.empty();
        }
        return Optional.of(b.build());
    }

    static long seconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
