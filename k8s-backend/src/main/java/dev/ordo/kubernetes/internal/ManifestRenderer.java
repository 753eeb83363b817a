package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Edge;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.Secret;
import dev.ordo.Trigger;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a plan as Kubernetes objects that order themselves: every workload gets one init container per
 * dependency that blocks until the dependency's condition holds ({@link Waiters}: sh and curl), under a read-only,
 * namespace-scoped ServiceAccount.
 *
 * <pre>{@code
 * List<HasMetadata> objects = ManifestRenderer.objects(plan, null, Waiters.DEFAULT_IMAGE, false, Set.of());
 * }</pre>
 */
public final class ManifestRenderer {
    /** Poll pause between waits inside an init container, in seconds. */
    private static final int PAUSE_SECONDS = 2;

    private ManifestRenderer() {
    }

    /** Every object of the plan, in the order {@code kubectl apply -f} should create them. */
    public static List<HasMetadata> objects(Plan plan, String namespace, String waitImage, boolean secretValues,
                                            Set<String> leftToOrdo) {
        Deployment deployment = plan.deployment();
        String dep = deployment.name();
        List<HasMetadata> out = new ArrayList<>();
        // No Namespace object: kubectl delete -f would delete it, and every volume in it, with the manifests
        List<Node> nodes = new ArrayList<>(plan.nodes());
        List<Node> steps = triggerSteps(plan, leftToOrdo);
        boolean waits = !plan.edges().isEmpty() || TriggerManifests.needWaiters(plan, leftToOrdo);
        String account = K8sNames.waiterAccount(dep);
        if (waits) {
            out.addAll(rbac(dep, namespace, account));
        }
        if (secretValues) {
            List<Node> all = new ArrayList<>(nodes);
            all.addAll(steps);
            for (String name : SupportObjects.usedSecrets(all)) {
                Secret s = deployment.secrets().get(name);
                if (s != null) {
                    out.add(SupportObjects.secret(deployment, s, namespace, true));
                }
            }
        }
        out.addAll(SupportObjects.claims(deployment, namespace));
        for (Node node : nodes) {
            out.addAll(SupportObjects.services(deployment, node, namespace));
            SupportObjects.configMap(deployment, node, namespace).ifPresent(out::add);
            HasMetadata workload = ObjectFactory.workload(deployment, node, namespace, "export");
            List<Edge> edges = plan.contains(node.name()) ? plan.dependenciesOf(node.name()) : List.of();
            if (!edges.isEmpty()) {
                List<Container> init = new ArrayList<>();
                for (Edge e : edges) {
                    Node target = plan.node(e.dependency()).orElseThrow();
                    init.add(Waiters.waitFor(dep, Optional.of(node), target, e.condition(), waitImage));
                }
                Waiters.attach(ObjectFactory.podTemplate(workload).getSpec(), init, dep);
            }
            if (workload instanceof Job job) {
                job.getMetadata().setName(jobName(node, job));
            }
            out.add(workload);
        }
        // On-demand jobs run only inside their triggers' pods; their plain configuration is a ConfigMap too.
        for (Node step : steps) {
            SupportObjects.configMap(deployment, step, namespace).ifPresent(out::add);
        }
        out.addAll(TriggerManifests.objects(plan, namespace, waitImage, leftToOrdo));
        return out;
    }

    /**
     * The objects of a relocatable layout (Kustomize base, Helm chart): no namespace, and a Secret object without
     * data for every secret used, which a chart fills from its values.
     */
    public static List<HasMetadata> layoutObjects(Plan plan, String waitImage, Set<String> leftToOrdo) {
        List<HasMetadata> out = new ArrayList<>(objects(plan, null, waitImage, false, leftToOrdo));
        List<Node> nodes = new ArrayList<>(plan.nodes());
        nodes.addAll(triggerSteps(plan, leftToOrdo));
        int at = (int) out.stream().filter(o -> List.of("ServiceAccount", "Role", "RoleBinding").contains(o.getKind()))
                .count();
        for (String name : SupportObjects.usedSecrets(nodes)) {
            Secret s = plan.deployment().secrets().get(name);
            if (s != null) {
                out.add(at++, SupportObjects.secret(plan.deployment(), s, null, false));
            }
        }
        return out;
    }

    /** The on-demand jobs that some exported trigger runs, each once. */
    private static List<Node> triggerSteps(Plan plan, Set<String> leftToOrdo) {
        Map<String, Node> steps = new LinkedHashMap<>();
        plan.triggers().stream().filter(t -> !leftToOrdo.contains(t.name()))
                .forEach(t -> plan.pipeline(t.name()).forEach(j -> steps.putIfAbsent(j.name(), j)));
        return new ArrayList<>(steps.values());
    }

    /** The oldest Kubernetes the exports run on: CronJob's {@code timeZone} is GA from 1.27. */
    public static final String MINIMUM_VERSION = "1.27";
    /** The header line that says so (an environment variable name beyond C identifiers needs 1.32). */
    public static final String MINIMUM_VERSION_LINE = "# Needs Kubernetes " + MINIMUM_VERSION + " or later (1.32 for"
            + " environment variable names other than letters, digits and '_').\n";

    /**
     * An exported Job's name: the node's object name and a hash of its pod template, so that a changed job (its
     * image, command, environment, waiters) is a new Job for {@code kubectl apply} rather than a change Kubernetes
     * refuses (a Job's template cannot change); its dependents' waiters find it by its labels and configuration
     * hash, whatever its name.
     */
    static String jobName(Node node, Job job) {
        String hash = sha256(Serialization.asJson(job.getSpec().getTemplate()))
                .substring(0, 8);
        String base = K8sNames.objectName(node.name());
        return (base.length() > 54 ? base.substring(0, 54).replaceAll("-+$", "") : base) + "-" + hash;
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The objects as one multi-document YAML stream, with a header saying how to apply it. */
    public static String render(Plan plan, String namespace, String waitImage, boolean secretValues,
                                Set<String> leftToOrdo) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Kubernetes manifests for Ordo deployment '").append(plan.deployment().name())
                .append("', rendered by Ordo. They order themselves: each workload's init containers wait for its\n")
                .append("# dependencies. Apply with: kubectl apply ").append(namespace == null ? "-n <namespace> " : "")
                .append("-f <this file>\n").append(MINIMUM_VERSION_LINE);
        ExportWarnings.of(plan).forEach(w -> yaml.append("# WARNING: ").append(w).append('\n'));
        List<Node> nodes = new ArrayList<>(plan.nodes());
        nodes.addAll(triggerSteps(plan, leftToOrdo));
        List<String> secrets = List.copyOf(SupportObjects.usedSecrets(nodes));
        if (!secretValues && !secrets.isEmpty()) {
            yaml.append("# Secret values are not included. Create them first:\n");
            for (String s : secrets) {
                yaml.append("#   kubectl create secret generic ").append(K8sNames.secretName(plan.deployment().name(), s))
                        .append(namespace == null ? "" : " -n " + namespace).append(" --from-file=").append(SupportObjects.SECRET_KEY)
                        .append("=<file holding ").append(s).append(">\n");
            }
        }
        List<HasMetadata> objects = objects(plan, namespace, waitImage, secretValues, leftToOrdo);
        for (var t : plan.triggers()) {
            if (leftToOrdo.contains(t.name())) {
                yaml.append("# Trigger '").append(t.name()).append("' is not here: Ordo's living handle runs it.\n");
            } else if (t.kind() == Trigger.Kind.MANUAL && !t.atStart()) {
                yaml.append("# Run trigger '").append(t.name()).append("' by hand with: kubectl create job ")
                        .append(t.name()).append("-$(date +%s) --from=cronjob/").append(t.name())
                        .append(namespace == null ? "" : " -n " + namespace).append('\n');
            }
        }
        for (HasMetadata o : objects) {
            String doc = Serialization.asYaml(o);
            if (!doc.startsWith("---")) {
                yaml.append("---\n");
            }
            yaml.append(doc);
            if (!doc.endsWith("\n")) {
                yaml.append('\n');
            }
        }
        return yaml.toString();
    }

    private static List<HasMetadata> rbac(String dep, String namespace, String account) {
        Map<String, String> labels = K8sNames.sharedLabels(dep);
        var meta = new ObjectMetaBuilder().withName(account).withNamespace(namespace).withLabels(labels).build();
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceAccountBuilder().withMetadata(meta).build());
        // Read-only, namespace-scoped and no more than the waiters call (Waiters.script): lists by label of pods
        // (STARTED), Deployments and StatefulSets (HEALTHY, and STARTED's replica count) and Jobs.
        out.add(new RoleBuilder().withMetadata(new ObjectMetaBuilder(meta).build())
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("list").build(),
                        new PolicyRuleBuilder().withApiGroups("apps").withResources("deployments", "statefulsets")
                                .withVerbs("list").build(),
                        new PolicyRuleBuilder().withApiGroups("batch").withResources("jobs").withVerbs("list").build())
                .build());
        out.add(new RoleBindingBuilder().withMetadata(new ObjectMetaBuilder(meta).build())
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(account)
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(namespace).endSubject()
                .build());
        return out;
    }
}
