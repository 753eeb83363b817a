package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Volume;
import dev.ordo.spi.Labels;
import dev.ordo.spi.support.DnsNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The label and annotation keys Ordo puts on Kubernetes objects, and the names it derives for them.
 *
 * <p>Ordo's names are Compose's ({@code plausible_db}, {@code Web.UI}); Kubernetes object names are DNS-1123
 * labels. Every object name derived from a node, volume, secret or deployment is mapped with
 * {@link DnsNames#toLabel} ({@link #objectName}); label values keep the original name wherever Kubernetes takes it
 * as a label value ({@link #labelValue}), so that facts reach core under the node's own name. A node whose name is
 * not a valid label value also carries it in annotation {@link #NODE_ANNOTATION}, which {@link #keyOf} prefers.
 *
 * <pre>{@code
 * K8sNames.objectName("plausible_db");             // "plausible-db": its workload, Service, container
 * K8sNames.selector("shop", "plausible_db");        // app.kubernetes.io/name=plausible_db, ...
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
    /**
     * Annotation holding the node's own name on its objects and pods when the name is not a valid label value (it
     * ends with '_', '.' or '-'): the label then holds the mapped name, the annotation the one core knows.
     */
    public static final String NODE_ANNOTATION = "dev.ordo/node";
    /** Kubernetes' label values (apimachinery's {@code IsValidLabelValue}), at most 63 characters. */
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private K8sNames() {
    }

    /**
     * The Kubernetes object name (a DNS-1123 label) of an Ordo name: its workload, Service, container and the
     * prefix of the objects named after it; the name itself when it already is one.
     */
    public static String objectName(String name) {
        return DnsNames.toLabel(name);
    }

    /**
     * {@code name} as a label value: itself wherever Kubernetes takes it ({@code plausible_db}, {@code Web.UI}),
     * else its {@link #objectName} (a name ending with '_', '.' or '-').
     */
    public static String labelValue(String name) {
        return name.length() <= DnsNames.LONGEST && LABEL_VALUE.matcher(name).matches() ? name : objectName(name);
    }

    /** The labels that identify a node's objects; also the workloads' pod selector, so it must never change. */
    public static Map<String, String> selector(String deployment, String node) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PART_OF, labelValue(deployment));
        m.put(NAME, labelValue(node));
        m.put(MANAGED_BY, ORDO);
        return m;
    }

    /** The labels that identify every object of a deployment. */
    public static Map<String, String> deploymentSelector(String deployment) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PART_OF, labelValue(deployment));
        m.put(MANAGED_BY, ORDO);
        return m;
    }

    /** Every label Ordo puts on a node's objects: the standard ones, Ordo's own and the user's. */
    public static Map<String, String> labels(Deployment deployment, Node node) {
        Map<String, String> m = new LinkedHashMap<>(node.labels());
        m.putAll(selector(deployment.name(), node.name()));
        m.put(Labels.DEPLOYMENT, labelValue(deployment.name()));
        m.put(Labels.NODE, labelValue(node.name()));
        m.put(Labels.KIND, node.kind().label());
        m.put(Labels.CONFIG_HASH, node.configHash());
        return m;
    }

    /** The annotations naming {@code node} where its labels cannot: none when its name is a label value. */
    static Map<String, String> nodeAnnotation(String node) {
        return labelValue(node).equals(node) ? Map.of() : Map.of(NODE_ANNOTATION, node);
    }

    /** The labels of objects the deployment shares between nodes (namespace, secrets, volume claims). */
    public static Map<String, String> sharedLabels(String deployment) {
        Map<String, String> m = deploymentSelector(deployment);
        m.put(Labels.DEPLOYMENT, labelValue(deployment));
        return m;
    }

    /** Whether Ordo created {@code object} for {@code deployment}; anything else Ordo must leave alone. */
    public static boolean isOurs(HasMetadata object, String deployment) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && ORDO.equals(labels.get(MANAGED_BY))
                && labelValue(deployment).equals(labels.get(PART_OF));
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
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String node = annotations != null && annotations.get(NODE_ANNOTATION) != null
                ? annotations.get(NODE_ANNOTATION) : labels.get(NAME);
        String run = labels.get(Labels.RUN);
        return run == null ? node : node + "@" + run;
    }

    /**
     * The name of the workload of {@code node} in triggered run {@code run}: the node's object name, suffixed by
     * the run.
     */
    public static String workloadName(String node, Optional<String> run) {
        return objectName(node) + run.map(r -> "-" + r).orElse("");
    }

    /** The Service that lets other pods reach {@code node}: its object name. */
    public static String serviceName(String node) {
        return objectName(node);
    }

    /** The configuration hash recorded on an object, or the empty string. */
    public static String hashOf(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String hash = annotations == null ? null : annotations.get(HASH_ANNOTATION);
        return hash == null ? "" : hash;
    }

    /** The ConfigMap holding a node's environment: {@code <node>-env}. */
    public static String configMapName(String node) {
        return objectName(node) + "-env";
    }

    /**
     * The Secret holding a deployment secret; prefixed so that two deployments can share a named namespace. Only
     * the object is named so: the file keeps the secret's own name ({@code /run/secrets/db_password}).
     */
    public static String secretName(String deployment, String secret) {
        return objectName(deployment) + "-" + objectName(secret);
    }

    /**
     * The PersistentVolumeClaim backing named volume {@code volume} of {@code deployment}: prefixed like Compose
     * prefixes volume names, or the name the deployment gives it ({@link Volume#platformName}), an external
     * volume's included.
     */
    public static String claimName(Deployment deployment, String volume) {
        Volume v = deployment.volume(volume);
        if (v.external() || !v.platformName().isEmpty()) {
            return objectName(v.platformName(deployment.name()));
        }
        return objectName(deployment.name()) + "-" + objectName(volume);
    }

    /** The name of {@code volume} in a pod spec, and of a StatefulSet's claim template for it. */
    public static String podVolumeName(String volume) {
        return objectName(volume);
    }

    /** The ServiceAccount (and Role, RoleBinding) that the exported manifests' wait-for init containers run as. */
    public static String waiterAccount(String deployment) {
        return objectName(deployment) + "-ordo-waiter";
    }

    public static String clash(HasMetadata existing, String deployment, String ns) {
        return existing.getKind() + " '" + existing.getMetadata().getName() + "' already exists in namespace '" + ns
                + "' without Ordo's labels for deployment '" + deployment + "'; Ordo never touches objects it did "
                + "not create: rename the node, delete that object, or run the deployment in another namespace";
    }
}
