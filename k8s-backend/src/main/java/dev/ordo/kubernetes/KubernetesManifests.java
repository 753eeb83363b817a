package dev.ordo.kubernetes;

import dev.ordo.Plan;
import dev.ordo.kubernetes.internal.ExportLayouts;
import dev.ordo.kubernetes.internal.ExportWarnings;
import dev.ordo.kubernetes.internal.KubernetesRules;
import dev.ordo.kubernetes.internal.ManifestRenderer;
import dev.ordo.kubernetes.internal.UpgradeRules;
import dev.ordo.kubernetes.internal.Waiters;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a {@link Plan} as one multi-document Kubernetes YAML that brings the system up in dependency order
 * without Ordo running: each workload gets one init container per dependency that waits, with
 * {@code curl} and the API server, until the dependency's condition holds ({@code healthy}: all its replicas ready;
 * {@code completed_successfully}: its Job complete, giving up if the Job failed; {@code started}: every replica
 * running, as for the backend). The waiters run under a ServiceAccount with a read-only Role scoped to the namespace, both included;
 * they ask the API server with {@code curl} once a second (every 5 s after two minutes), finding each dependency by
 * its labels, so a failed Job stops its dependents within seconds and a Kustomize name prefix keeps them working.
 * No namespace is written unless {@link #namespace} is used, and no Namespace object ever: {@code kubectl delete
 * -f} must not take the namespace's volumes with it.
 * The objects are the same the {@link KubernetesBackend} creates, ConfigMaps {@code <node>-env} for the nodes'
 * environments included.
 *
 * <p>Triggers become CronJobs (overlap SKIP → {@code Forbid}, REPLACE → {@code Replace}, ALLOW → {@code Allow}),
 * a manual trigger a suspended CronJob to create Jobs from, a trigger that fires at start also a Job; a pipeline
 * runs in one pod, its steps as ordered init containers and the last step as the main container. What a CronJob
 * cannot express is refused by {@link #render()}, naming each trigger and reason, unless {@link #leaveToOrdo}. What
 * Kubernetes cannot express of the nodes is refused by every export as by the backend's {@code prepare}, in one list
 * naming each node and the fix; object names are mapped to DNS labels as the backend maps them, and an external
 * volume's claim is mounted, not created ({@link #warnings()}).
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
    /**
     * The image of the wait-for init containers unless {@link #waitImage} says otherwise: the curl project's
     * {@code curlimages/curl}, pinned by version (it needs {@code sh}, {@code curl}, {@code grep} and {@code tr}).
     */
    public static final String DEFAULT_WAIT_IMAGE = Waiters.DEFAULT_IMAGE;

    private final Plan plan;
    /** Null: a relocatable base without namespaces, placed by kubectl apply -n, Kustomize or Argo CD. */
    private final String namespace;
    private final String waitImage;
    private final boolean secretValues;
    private final Set<String> leftToOrdo;

    private KubernetesManifests(Plan plan, String namespace, String waitImage, boolean secretValues,
                                Set<String> leftToOrdo) {
        this.plan = plan;
        this.namespace = namespace;
        this.waitImage = waitImage;
        this.secretValues = secretValues;
        this.leftToOrdo = Set.copyOf(leftToOrdo);
    }

    /**
     * Manifests for {@code plan} without any namespace: a relocatable base that {@code kubectl apply -n NS},
     * Kustomize's {@code namespace:} or Argo CD place (the waiters read theirs from the downward API).
     */
    public static KubernetesManifests of(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        return new KubernetesManifests(plan, null, DEFAULT_WAIT_IMAGE, false, Set.of());
    }

    /** These manifests with every object's {@code metadata.namespace} set to {@code namespace} (a DNS-1123 label). */
    public KubernetesManifests namespace(String namespace) {
        return new KubernetesManifests(plan, KubernetesBackend.requireNamespace(namespace), waitImage, secretValues,
                leftToOrdo);
    }

    /** These manifests, with wait-for init containers running {@code image} (it needs {@code sh} and {@code curl}). */
    public KubernetesManifests waitImage(String image) {
        return new KubernetesManifests(plan, namespace, Objects.requireNonNull(image, "image == null"),
                secretValues, leftToOrdo);
    }

    /** These manifests, including Secret objects with the secrets' values (reads them now). */
    public KubernetesManifests withSecretValues() {
        return new KubernetesManifests(plan, namespace, waitImage, true, leftToOrdo);
    }

    /**
     * These manifests without {@code triggers}, which Ordo's living handle runs instead ({@code Orchestrator.start}
     * on the Kubernetes backend): the way out for a trigger a CronJob cannot express (a computed parameter, a
     * concurrency key, queueing, a pipeline that is not a chain). The YAML's header names them.
     *
     * @throws dev.ordo.OrdoException naming the plan's triggers when one of {@code triggers} is not among them
     */
    public KubernetesManifests leaveToOrdo(String... triggers) {
        Set<String> left = new LinkedHashSet<>(leftToOrdo);
        for (String t : triggers) {
            plan.deployment().requireTrigger(t);
            left.add(t);
        }
        return new KubernetesManifests(plan, namespace, waitImage, secretValues, left);
    }

    /** The namespace the objects name, or empty for a relocatable base. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /**
     * What these manifests cannot do as Ordo does, or do differently, one line each: the names mapped to
     * Kubernetes' (and the environment variables that mention a name other pods can no longer resolve), networks
     * that keep no isolation, images built on Docker that the cluster pulls, a log-line health check, a pool, a job
     * deadline that includes the wait, a shared or external volume. Also in {@link #render()}'s header, the
     * Kustomize base's and the Helm chart's values.
     */
    public List<String> warnings() {
        return ExportWarnings.of(plan);
    }

    /**
     * What applying these manifests over {@code previous} (the plan exported and applied before) would be refused
     * or would leave behind, one line each naming the object and what to do: a Job whose pod template changed, a
     * StatefulSet whose claim templates (a storage size), selector or service name changed — fields Kubernetes keeps
     * as created — and a service whose workload kind changed, whose old Deployment or StatefulSet {@code apply} does
     * not delete. Empty when the upgrade applies cleanly.
     *
     * <pre>{@code
     * KubernetesManifests.of(newPlan).upgradeProblems(oldPlan).forEach(System.err::println);
     * }</pre>
     */
    public List<String> upgradeProblems(Plan previous) {
        Objects.requireNonNull(previous, "previous == null");
        return UpgradeRules.problems(
                ManifestRenderer.objects(previous, namespace, waitImage, secretValues, leftToOrdo),
                ManifestRenderer.objects(plan, namespace, waitImage, secretValues, leftToOrdo));
    }

    /** The multi-document YAML. */
    public String render() {
        KubernetesRules.check(plan.deployment());
        return ManifestRenderer.render(plan, namespace, waitImage, secretValues, leftToOrdo);
    }

    /**
     * Writes a Kustomize base into {@code dir}: {@code kustomization.yaml} and {@code manifests.yaml}, with no
     * namespace (an overlay's {@code namespace:} places it). Secret objects are not included (create them, or use
     * a {@code secretGenerator} in the overlay). Returns the files written.
     */
    public List<Path> writeKustomizeBase(Path dir) {
        Objects.requireNonNull(dir, "dir == null");
        KubernetesRules.check(plan.deployment());
        StringBuilder header = new StringBuilder("# Kustomize base for Ordo deployment '" + plan.deployment().name()
                + "', rendered by Ordo.\n" + ManifestRenderer.MINIMUM_VERSION_LINE);
        warnings().forEach(w -> header.append("# WARNING: ").append(w).append('\n'));
        return ExportLayouts.kustomizeBase(header.toString(),
                ManifestRenderer.objects(plan, null, waitImage, false, leftToOrdo), dir);
    }

    /**
     * Writes a Helm chart into {@code dir} ({@code Chart.yaml}, {@code values.yaml}, {@code templates/}): values for
     * each node's image and each service's replicas, each volume claim's size, each secret's value (its Secret is
     * created only when a value is given), the waiters' image and resources; the release's namespace places it. A
     * Job's name carries a hash of its template and of the values that change it. Returns the files written.
     */
    public List<Path> writeHelmChart(Path dir) {
        Objects.requireNonNull(dir, "dir == null");
        KubernetesRules.check(plan.deployment());
        return ExportLayouts.helmChart(plan,
                ManifestRenderer.layoutObjects(plan, waitImage, leftToOrdo), waitImage, dir);
    }

    @Override
    public String toString() {
        return "KubernetesManifests[" + plan.deployment().name() + " in " + (namespace == null ? "any namespace"
                : namespace) + "]";
    }
}
