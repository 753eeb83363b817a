package dev.ordo.kubernetes;

import dev.ordo.kubernetes.internal.ManifestRenderer;
import dev.ordo.Plan;
import java.util.Objects;

/**
 * Renders a {@link Plan} as one multi-document Kubernetes YAML that brings the system up in dependency order
 * without Ordo running: each workload gets one init container per dependency that waits, with
 * {@code kubectl wait}, until the dependency's condition holds ({@code healthy}: all its replicas ready;
 * {@code completed_successfully}: its Job complete, giving up if the Job failed; {@code started}: one of its pods
 * running). The waiters run under a ServiceAccount with a read-only Role scoped to the namespace, both included.
 * The objects are the same the {@link KubernetesBackend} creates, ConfigMaps {@code <node>-env} for the nodes'
 * environments included.
 *
 * <p>Secret values are left out unless {@link #withSecretValues()} is used; the YAML's header lists the
 * {@code kubectl create secret} commands to run first.
 *
 * <pre>{@code
 * String yaml = KubernetesManifests.of(clp.plan()).namespace("clp-prod").render();
 * Files.writeString(Path.of("clp.yaml"), yaml);   // then: kubectl apply -f clp.yaml
 * }</pre>
 */
public final class KubernetesManifests {
    /** The image of the wait-for init containers unless {@link #waitImage} says otherwise: it has sh and kubectl. */
    public static final String DEFAULT_WAIT_IMAGE = "bitnami/kubectl:1.31";

    private final Plan plan;
    private final String namespace;
    private final String waitImage;
    private final boolean secretValues;

    private KubernetesManifests(Plan plan, String namespace, String waitImage, boolean secretValues) {
        this.plan = plan;
        this.namespace = namespace;
        this.waitImage = waitImage;
        this.secretValues = secretValues;
    }

    /** Manifests for {@code plan}, in a namespace named after the deployment. */
    public static KubernetesManifests of(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        return new KubernetesManifests(plan, plan.deployment().name(), DEFAULT_WAIT_IMAGE, false);
    }

    /** These manifests, placed in {@code namespace} (a DNS-1123 label). */
    public KubernetesManifests namespace(String namespace) {
        return new KubernetesManifests(plan, KubernetesBackend.requireNamespace(namespace), waitImage, secretValues);
    }

    /** These manifests, with wait-for init containers running {@code image} (it needs {@code sh} and {@code kubectl}). */
    public KubernetesManifests waitImage(String image) {
        return new KubernetesManifests(plan, namespace, Objects.requireNonNull(image, "image == null"),
                secretValues);
    }

    /** These manifests, including Secret objects with the secrets' values (reads them now). */
    public KubernetesManifests withSecretValues() {
        return new KubernetesManifests(plan, namespace, waitImage, true);
    }

    /** The namespace the objects are placed in. */
    public String namespace() {
        return namespace;
    }

    /** The multi-document YAML. */
    public String render() {
        return ManifestRenderer.render(plan, namespace, waitImage, secretValues);
    }

    @Override
    public String toString() {
        return "KubernetesManifests[" + plan.deployment().name() + " in " + namespace + "]";
    }
}
