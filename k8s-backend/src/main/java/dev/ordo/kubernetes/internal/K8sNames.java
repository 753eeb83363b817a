package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.spi.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label and annotation keys Ordo puts on Kubernetes objects, and the names it derives for them.
 *
 * <pre>{@code
 * Map<String, String> selector = K8sNames.selector("clp", "database");
 * }</pre>
 */
public final class K8sNames {
    /** Standard label naming the application (the Ordo deployment) the object belongs to. */
    public static final String PART_OF = "app.kubernetes.io/part-of";
    /** Standard label naming the component (the Ordo node). */
    public static final String NAME = "app.kubernetes.io/name";
    /** Standard label naming the tool that manages the object. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY} on everything Ordo creates. */
    public static final String ORDO = "ordo";
    /** Annotation holding the node's configuration hash, compared by an idempotent {@code up}. */
    public static final String HASH_ANNOTATION = "dev.ordo/config-hash";
    /**
     * Pod-template label that is new on every creation of a workload. It tells the pods of a recreated workload
     * from those of its predecessor even when both carry the same configuration hash (a forced re-run).
     */
    public static final String LAUNCH = "dev.ordo/launch";
    /** Annotation telling the node has a health check that Ordo (not a probe) evaluates: a log-line check. */
    public static final String LOG_LINE_ANNOTATION = "dev.ordo/log-line";

    private K8sNames() {
    }

    /** The labels that identify a node's objects; also the workloads' pod selector, so it must never change. */
    public static Map<String, String> selector(String deployment, String node) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PART_OF, deployment);
        m.put(NAME, node);
        m.put(MANAGED_BY, ORDO);
        return m;
    }

    /** The labels that identify every object of a deployment. */
    public static Map<String, String> deploymentSelector(String deployment) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PART_OF, deployment);
        m.put(MANAGED_BY, ORDO);
        return m;
    }

    /** Every label Ordo puts on a node's objects: the standard ones, Ordo's own and the user's. */
    public static Map<String, String> labels(Deployment deployment, Node node) {
        Map<String, String> m = new LinkedHashMap<>(node.labels());
        m.putAll(selector(deployment.name(), node.name()));
        m.put(Labels.DEPLOYMENT, deployment.name());
        m.put(Labels.NODE, node.name());
        m.put(Labels.KIND, node.kind().label());
        m.put(Labels.CONFIG_HASH, node.configHash());
        return m;
    }

    /** The labels of objects the deployment shares between nodes (namespace, secrets, volume claims). */
    public static Map<String, String> sharedLabels(String deployment) {
        Map<String, String> m = deploymentSelector(deployment);
        m.put(Labels.DEPLOYMENT, deployment);
        return m;
    }

    /** Whether Ordo created {@code object} for {@code deployment}; anything else Ordo must leave alone. */
    public static boolean isOurs(HasMetadata object, String deployment) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && ORDO.equals(labels.get(MANAGED_BY)) && deployment.equals(labels.get(PART_OF));
    }

    /** The node an object of ours belongs to, or {@code null} for a shared object. */
    public static String nodeOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(NAME);
    }

    /**
     * How facts name the node an object belongs to: the node's name, or {@code node@run} for a triggered run's step
     * (see {@code Launch.key()}); {@code null} for a shared object.
     */
    public static String keyOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || labels.get(NAME) == null) {
            return null;
        }
        String run = labels.get(Labels.RUN);
        return run == null ? labels.get(NAME) : labels.get(NAME) + "@" + run;
    }

    /** The name of the workload of {@code node} in triggered run {@code run}: the node's name, suffixed by the run. */
    public static String workloadName(String node, java.util.Optional<String> run) {
        return node + run.map(r -> "-" + r).orElse("");
    }

    /** The configuration hash recorded on an object, or the empty string. */
    public static String hashOf(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String hash = annotations == null ? null : annotations.get(HASH_ANNOTATION);
        return hash == null ? "" : hash;
    }

    /** The ConfigMap holding a node's environment: {@code <node>-env}. */
    public static String configMapName(String node) {
        return node + "-env";
    }

    /** The Secret holding a deployment secret; prefixed so that two deployments can share a named namespace. */
    public static String secretName(String deployment, String secret) {
        return deployment + "-" + secret;
    }

    /** The PersistentVolumeClaim backing a named volume; prefixed like Compose prefixes volume names. */
    public static String claimName(String deployment, String volume) {
        return deployment + "-" + volume;
    }

    /** The ServiceAccount (and Role, RoleBinding) that the exported manifests' wait-for init containers run as. */
    public static String waiterAccount(String deployment) {
        return deployment + "-ordo-waiter";
    }

    public static String clash(HasMetadata existing, String deployment, String ns) {
        return existing.getKind() + " '" + existing.getMetadata().getName() + "' already exists in namespace '" + ns
                + "' without Ordo's labels for deployment '" + deployment + "'; Ordo never touches objects it did "
                + "not create: rename the node, delete that object, or run the deployment in another namespace";
    }
}
