package dev.ordo.kubernetes.internal;

import dev.ordo.Condition;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.spi.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The export's wait-for init containers: a POSIX shell loop with {@code curl} that asks the API server, once a
 * second, whether a dependency's condition holds, and gives up at once when a Job it waits for has failed. No
 * kubectl image is needed (Bitnami's were withdrawn in 2025, and the official {@code registry.k8s.io/kubectl} has
 * no shell for a loop); the default image is the curl project's own {@code curlimages/curl}. Nothing is
 * hard-coded: the namespace comes from the downward API, so the same manifests work wherever {@code kubectl apply
 * -n}, Kustomize or Argo CD place them. The service-account token is mounted into the waiters only; the pod's main
 * containers get none. Each waiter passes Pod Security {@code restricted} (a numeric non-root user, no privilege
 * escalation, no capabilities, the default seccomp profile, a read-only root) and has small requests and limits.
 *
 * <pre>{@code
 * Waiters.attach(podSpec, List.of(Waiters.waitFor("clp", database, Condition.HEALTHY, Waiters.DEFAULT_IMAGE)), "clp");
 * }</pre>
 */
public final class Waiters {
    /**
     * The waiters' default image: the curl project's own image (Alpine, with sh and curl, about 10 MB), pinned by
     * version so that an export always runs the same waiter.
     */
    public static final String DEFAULT_IMAGE = "curlimages/curl:8.11.1";
    /**
     * The user the waiters run as: the curl image's own {@code curl_user} (100, group 101), by number, since
     * {@code runAsNonRoot} alone cannot be checked against a user name and Pod Security {@code restricted} needs it.
     */
    static final long WAITER_UID = 100;
    static final long WAITER_GID = 101;
    /**
     * The waiters' resources: a shell loop with one curl a second needs little, and a namespace with a ResourceQuota
     * but no LimitRange refuses every container without requests and limits. Chart values ({@code waiterResources}).
     */
    static final String CPU_REQUEST = "10m";
    static final String MEMORY_REQUEST = "16Mi";
    static final String CPU_LIMIT = "100m";
    static final String MEMORY_LIMIT = "64Mi";
    /** Where the waiters find the token, the cluster's CA and their namespace (the standard in-cluster path). */
    static final String ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String TOKEN_VOLUME = "ordo-waiter-token";

    private Waiters() {
    }

    /**
     * The shell functions every waiter starts with: where the API is; {@code get PATH}, which reads an object into
     * {@code $s} with the pod's own token from the API server's watch cache ({@code resourceVersion=0}: no quorum
     * read once a second per waiter) and says why when it cannot (unreachable, refused with the Role to grant,
     * another status); {@code say}, which prints a line when it differs from the last or 30 s after it, so a waiter
     * stuck in {@code Init:0/N} tells in its log what it waits for; {@code pause}, a second between polls for two
     * minutes, then five.
     */
    static String prelude(String deployment) {
        String account = K8sNames.waiterAccount(deployment);
        return "API=\"${ORDO_API:-https://kubernetes.default.svc}\"; SA=\"${ORDO_ACCOUNT_DIR:-" + ACCOUNT_DIR + "}\";"
                + " NS=\"${POD_NAMESPACE:-$(cat \"$SA/namespace\")}\"; last=''; said=0; polls=0; quiet='';"
                + " say() { now=$(date +%s); if [ \"$1\" != \"$last\" ] || [ $((now - said)) -ge 30 ]; then"
                + " echo \"$(date -u +%H:%M:%S) $1\"; last=\"$1\"; said=$now; fi; };"
                + " pause() { polls=$((polls + 1)); if [ $polls -le 120 ]; then sleep 1; else sleep 5; fi; };"
                + " get() { none=0; case \"$1\" in *\\?*) q='&resourceVersion=0';; *) q='?resourceVersion=0';; esac;"
                + " if ! r=$(curl -s --max-time 10 --cacert \"$SA/ca.crt\""
                + " -H \"Authorization: Bearer $(cat \"$SA/token\")\" -w ' %{http_code}' \"$API$1$q\"); then"
                + " tell \"cannot reach the API server at $API (curl exit $?)\"; s=''; return 1; fi;"
                + " code=\"${r##* }\"; s=\"${r% *}\"; case \"$code\" in 2??)"
                // a list by label with no items: the object is not there (yet), as a 404 for a get by name
                + " if printf '%s' \"$s\" | tr -d ' \\n\\r\\t' | grep -Eq '\"items\":(\\[\\]|null)'; then"
                + " none=1; tell \"no object matches $1 (yet)\"; s=''; return 1; fi; return 0;;"
                + " 401|403) tell \"the API server refused to read $1 (HTTP $code): the pod's ServiceAccount " + account
                + " needs the Role " + account + " (list of pods, deployments, statefulsets and jobs) bound"
                + " to it in namespace $NS\";;"
                + " 404) none=1; tell \"$1 does not exist (yet)\";;"
                + " *) tell \"the API server answered HTTP $code for $1\";; esac; s=''; return 1; };"
                // what get says when it cannot read: said at once, or kept in $why when the caller says it
                + " tell() { why=\"$1\"; [ -n \"$quiet\" ] || say \"$1\"; };"
                // one JSON object per line, so that a condition's type and status are matched within one object
                + " objects() { tr '{' '\\n'; };"
                // the first number under key $1 in $s, or 0 when absent (the API omits a zero readyReplicas); the
                // first "replicas" of a workload is its spec's, which the API server writes before its status
                + " num() { n=$(printf '%s' \"$s\" | tr -d ' \\n\\r\\t' | grep -o \"\\\"$1\\\":[0-9]*\" | head -n 1"
                + " | cut -d: -f2); echo \"${n:-0}\"; }; ";
    }

    /** The script that returns once {@code condition} holds of {@code target} (exit 1 when it never will). */
    public static String script(String deployment, Node target, Condition condition) {
        return script(deployment, Optional.empty(), target, condition);
    }

    /**
     * The script of {@code self}'s waiter for {@code target}. A completed Job must exist for its dependents' waiters
     * to see it, but a cleanup ({@code ttlSecondsAfterFinished}, a sweep of finished Jobs) may delete it: then a pod
     * of {@code self} that starts later (a restart, a rescheduling, a scale-up) still starts when another pod of
     * {@code self} at the same definition is ready, since the dependencies held when that definition first started
     * (and Ordo gates a node's start, never its later restarts). Otherwise the waiter says what is missing and how
     * to run it again.
     */
    public static String script(String deployment, Optional<Node> self, Node target, Condition condition) {
        // the object's name in the API's paths, the node's own name in what the waiter says
        // dependencies are found by their labels, not their names, so that a Kustomize namePrefix or nameSuffix
        // (which renames the objects but keeps their labels) leaves the waiters working; a Job by its configuration
        // hash as well, so that the run of the current definition counts, not a completed one of an earlier
        String name = target.name();
        String bySelector = selector(deployment, target, false);
        String workload = "/apis/apps/v1/namespaces/$NS/" + ObjectFactory.workloadKind(target).toLowerCase(Locale.ROOT)
                + "s" + bySelector;
        String job = "/apis/batch/v1/namespaces/$NS/jobs" + selector(deployment, target, true);
        String body = switch (condition) {
            case HEALTHY ->
                // the replica count is read at run time, so that scaling (the chart's values, a Kustomize overlay,
                // kubectl scale, an autoscaler) never leaves a dependent waiting for a count the export baked in;
                // and only once the controller has seen the current spec (observedGeneration)
                "while :; do if get \"" + workload + "\"; then r=$(num readyReplicas); w=$(num replicas);"
                        + " if [ \"$(num observedGeneration)\" -ge \"$(num generation)\" ] && [ \"$r\" -ge \"$w\" ];"
                        + " then break; fi; say \"waiting for " + name + " to be healthy: $r of $w replicas ready\";"
                        + " fi; pause; done; echo \"" + name + " is healthy\"";
            case COMPLETED_SUCCESSFULLY -> "while :; do quiet=1; if get \"" + job + "\";"
                    + " then if echo \"$s\" | objects | grep '\"type\": *\"Complete\"'"
                    + " | grep -q '\"status\": *\"True\"'; then echo \"" + name + " completed\"; exit 0; fi;"
                    + " if echo \"$s\" | objects | grep '\"type\": *\"Failed\"' | grep -q '\"status\": *\"True\"';"
                    + " then echo \"" + name + " failed; not starting\" >&2; exit 1; fi;"
                    + " say \"waiting for " + name + " to complete\"; elif [ \"$none\" = 1 ]; then"
                    + self.map(me -> " if get \"/api/v1/namespaces/$NS/pods" + selector(deployment, me, true)
                            + "\" && echo \"$s\" | objects | grep '\"type\": *\"Ready\"'"
                            + " | grep -q '\"status\": *\"True\"'; then echo \"no Job of " + name + " at its"
                            + " current definition, but " + me.name() + " already runs at its own (the dependencies"
                            + " held when it first started): starting\"; exit 0; fi;").orElse("")
                    + " say \"no Job of " + name + " at its current definition in namespace $NS: the apply that"
                    + " made this pod makes it too; if it completed and was deleted since (ttlSecondsAfterFinished,"
                    + " a cleanup), apply the manifests again to run it\"; else say \"$why\"; fi; pause; done";
            case STARTED -> {
                // started as Ordo means it everywhere: every replica running (or done), not just one; a service's
                // replica count is read at run time, as for HEALTHY
                String want = target instanceof Service
                        ? "if get \"" + workload + "\"; then w=$(num replicas); else w=" + target.replicas() + "; fi;"
                        : "w=" + target.replicas() + ";";
                yield "while :; do " + want + " if get \"/api/v1/namespaces/$NS/pods" + bySelector + "\"; then"
                        + " n=$(printf '%s' \"$s\" | grep -Eo '\"phase\": *\"(Running|Succeeded)\"' | wc -l);"
                        + " if [ \"$n\" -ge \"$w\" ]; then break; fi;"
                        + " say \"waiting for " + name + " to start: $n of $w replicas running\"; fi; pause; done;"
                        + " echo \"" + name + " started\"";
            }
        };
        return prelude(deployment) + body;
    }

    /** The query that lists {@code node}'s objects by their labels, at its current definition if {@code current}. */
    private static String selector(String deployment, Node node, boolean current) {
        String selector = K8sNames.selector(deployment, node.name()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        if (current) {
            selector += "," + Labels.CONFIG_HASH + "=" + node.configHash();
        }
        return "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }

    /** The init container that blocks until {@code condition} holds of {@code target}. */
    public static Container waitFor(String deployment, Node target, Condition condition, String image) {
        return waitFor(deployment, Optional.empty(), target, condition, image);
    }

    /** The init container of {@code self}'s pods that blocks until {@code condition} holds of {@code target}. */
    public static Container waitFor(String deployment, Optional<Node> self, Node target,
                                    Condition condition, String image) {
        String name = waiterName(target.name());
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("-+$", "");
        }
        return new ContainerBuilder().withName(name).withImage(image)
                .withCommand("sh", "-c", script(deployment, self, target, condition))
                .withSecurityContext(PodSettings.hardened(new SecurityContextBuilder()
                        .withRunAsNonRoot(true).withRunAsUser(WAITER_UID).withRunAsGroup(WAITER_GID)
                        .withReadOnlyRootFilesystem(true)).build())
                .withResources(new ResourceRequirementsBuilder()
                        .withRequests(Map.of("cpu", new Quantity(CPU_REQUEST),
                                "memory", new Quantity(MEMORY_REQUEST)))
                        .withLimits(Map.of("cpu", new Quantity(CPU_LIMIT),
                                "memory", new Quantity(MEMORY_LIMIT)))
                        .build())
                .withEnv(new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build())
                .withVolumeMounts(new VolumeMountBuilder().withMountPath(ACCOUNT_DIR)
                        .withName(TOKEN_VOLUME).withReadOnly(true).build())
                .build();
    }

    /** The name of the init container that waits for {@code node}: a DNS label, as every container name. */
    static String waiterName(String node) {
        return "wait-for-" + K8sNames.objectName(node);
    }

    /**
     * Puts {@code waiters} first among {@code pod}'s init containers, under the deployment's waiter account, with
     * the token mounted into them alone.
     */
    public static void attach(PodSpec pod, List<Container> waiters, String deployment) {
        if (waiters.isEmpty()) {
            return;
        }
        List<Container> init = new ArrayList<>(waiters);
        if (pod.getInitContainers() != null) {
            init.addAll(pod.getInitContainers());
        }
        pod.setInitContainers(init);
        pod.setServiceAccountName(K8sNames.waiterAccount(deployment));
        pod.setAutomountServiceAccountToken(false);
        List<Volume> volumes = new ArrayList<>(pod.getVolumes() == null ? List.of() : pod.getVolumes());
        volumes.add(tokenVolume());
        pod.setVolumes(volumes);
    }

    private static Volume tokenVolume() {
        return new VolumeBuilder().withName(TOKEN_VOLUME).withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3600L)
                .endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt")
                .withPath("ca.crt").endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build();
    }
}
