package dev.ordo.kubernetes.internal;

import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Toleration;
import dev.ordo.Trigger;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Kubernetes API server (or a controller) would refuse of the objects Ordo makes, checked before any is
 * sent or written, with the rules of Kubernetes' own validation (apimachinery's {@code IsDNS1035Label},
 * {@code IsQualifiedName}, {@code IsValidLabelValue}, and the limits controllers add):
 * Service names are DNS-1035 labels (they start with a letter); CronJob and StatefulSet names have at most 52
 * characters (the controllers append 11 to label values of 63); label keys and values; container names unique in
 * a pod (a node called {@code wait-for-X} that waits for {@code X} collides
 * with its waiter); node selectors as labels; tolerations (key, Exists without value, seconds only with
 * NoExecute). Quantities, requests within limits and ids are core's, at {@code build()}. Names are checked as
 * mapped ({@link K8sNames#objectName}): core takes Compose's names, {@code plausible_db}. Environment variable names
 * are left to core (no '=', not empty): Kubernetes 1.32 and later accept any other printable name.
 *
 * <pre>{@code
 * ApiServerRules.problems(deployment);   // every offender and its fix; KubernetesRules.check throws them
 * }</pre>
 */
public final class ApiServerRules {
    private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** The longest name of a CronJob or StatefulSet: 63 minus what their controllers append to label values. */
    static final int CONTROLLER_NAME_LIMIT = 52;

    private ApiServerRules() {
    }

    /** Everything Kubernetes would refuse, one line each. */
    public static List<String> problems(Deployment deployment) {
        List<String> out = new ArrayList<>();
        for (Node n : deployment.nodes()) {
            String what = n.kind().label() + " '" + n.name() + "'";
            String object = K8sNames.objectName(n.name());
            if (!n.container().ports().isEmpty() && !DNS1035.matcher(object).matches()) {
                out.add(what + " gets a Service, whose name must start with a letter (DNS-1035); rename it, e.g. '"
                        + "n-" + n.name() + "'");
            }
            if (ObjectFactory.isStateful(n) && object.length() > CONTROLLER_NAME_LIMIT) {
                out.add(what + " becomes a StatefulSet, whose name may have at most " + CONTROLLER_NAME_LIMIT
                        + " characters (the controller adds a revision hash to its pods' labels); shorten it");
            }
            n.labels().forEach((k, v) -> labelProblem(what, k, v).ifPresent(out::add));
            n.container().scheduling().nodeSelector().forEach((k, v) ->
                    labelProblem(what + "'s node selector", k, v).ifPresent(out::add));
            for (Toleration t : n.container().scheduling().tolerations()) {
                tolerationProblem(what, t).ifPresent(out::add);
            }
            Set<String> containers = new HashSet<>(Set.of(object));
            for (Dependency d : n.dependencies()) {
                String waiter = Waiters.waiterName(d.target());
                if (!containers.add(waiter)) {
                    out.add(what + " and its waiter for '" + d.target() + "' would both be containers named '"
                            + waiter + "' in one pod; rename the node");
                }
            }
        }
        for (Trigger t : deployment.triggers().values()) {
            if (t.name().length() > CONTROLLER_NAME_LIMIT) {
                out.add("trigger '" + t.name() + "' becomes a CronJob, whose name may have at most "
                        + CONTROLLER_NAME_LIMIT + " characters (Jobs get an 11-character suffix); shorten it");
            }
        }
        return out;
    }

    /** A problem with toleration {@code t} of {@code what}, if the API server would refuse it. */
    static Optional<String> tolerationProblem(String what, Toleration t) {
        String shown = what + " tolerates '" + t.key() + (t.value().isEmpty() ? "" : "=" + t.value()) + "'";
        if (!t.key().isEmpty()) {
            Optional<String> key = labelProblem(what, t.key(), "");
            if (key.isPresent()) {
                return Optional.of(shown + ", whose key Kubernetes refuses as a label key would be: use an"
                        + " optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'");
            }
        } else if (t.operator() != Toleration.Operator.EXISTS) {
            return Optional.of(what + " has a toleration without key that is not Exists; an empty key"
                    + " matches every taint only with Toleration.exists(\"\", effect)");
        }
        if (t.operator() == Toleration.Operator.EXISTS && !t.value().isEmpty()) {
            return Optional.of(shown + " with operator Exists and a value; drop the value, or use"
                    + " Toleration.equal");
        }
        if (!t.value().isEmpty() && labelProblem(what, "k", t.value()).isPresent()) {
            return Optional.of(shown + ", whose value Kubernetes refuses: at most 63 letters, digits,"
                    + " '-', '_' or '.', starting and ending alphanumeric");
        }
        if (t.seconds().isPresent() && t.effect() != Toleration.Effect.NO_EXECUTE) {
            return Optional.of(shown + " for at most " + t.seconds().get().toSeconds() + " s, but only a"
                    + " NoExecute toleration may end; drop forAtMost or use Effect.NO_EXECUTE");
        }
        return Optional.empty();
    }

    /** A problem with label {@code key}={@code value} of {@code what}, if Kubernetes would refuse it. */
    static Optional<String> labelProblem(String what, String key, String value) {
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? "" : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()
                || slash >= 0 && (prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches())) {
            return Optional.of(what + " has label key '" + key + "', which Kubernetes refuses: use an"
                    + " optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and"
                    + " ending alphanumeric");
        }
        if (value.length() > 63 || !K8sNames.LABEL_VALUE.matcher(value).matches()) {
            return Optional.of(what + " has label " + key + "='" + value + "', whose value Kubernetes"
                    + " refuses: at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (no"
                    + " spaces or '/'); put free text in an annotation");
        }
        return Optional.empty();
    }
    /**
     * The pod template of each workload among {@code objects} (Deployment, StatefulSet, Job, CronJob), keyed by
     * {@code Kind/name}.
     */
    public static Map<String, PodSpec> podTemplates(
            List<HasMetadata> objects) {
        Map<String, PodSpec> out = new LinkedHashMap<>();
        for (var o : objects) {
            String what = o.getKind() + "/" + o.getMetadata().getName();
            if (o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
                out.put(what, d.getSpec().getTemplate().getSpec());
            } else if (o instanceof StatefulSet st) {
                out.put(what, st.getSpec().getTemplate().getSpec());
            } else if (o instanceof Job j) {
                out.put(what, j.getSpec().getTemplate().getSpec());
            } else if (o instanceof CronJob c) {
                out.put(what, c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
            }
        }
        return out;
    }

    /**
     * What the API server would refuse of the objects themselves, across fields the schema cannot relate: an init
     * container with a probe or a lifecycle hook ({@code validateInitContainers}, pkg/apis/core/validation/
     * validation.go: init containers run to completion, so readiness, liveness and startup mean nothing to them) and
     * two containers of one name in a pod ({@code validateContainers}: names are unique across init and main).
     */
    public static List<String> objectProblems(List<HasMetadata> objects) {
        List<String> out = new ArrayList<>();
        podTemplates(objects).forEach((what, pod) -> {
            Set<String> names = new HashSet<>();
            List<Container> all = new ArrayList<>();
            if (pod.getInitContainers() != null) {
                for (var c : pod.getInitContainers()) {
                    all.add(c);
                    if (c.getReadinessProbe() != null || c.getLivenessProbe() != null || c.getStartupProbe() != null
                            || c.getLifecycle() != null) {
                        out.add(what + ": init container '" + c.getName() + "' has a probe or lifecycle hook, which"
                                + " Kubernetes refuses on init containers");
                    }
                }
            }
            all.addAll(pod.getContainers());
            for (var c : all) {
                if (!names.add(c.getName())) {
                    out.add(what + ": two containers are named '" + c.getName() + "'");
                }
            }
        });
        return out;
    }
}
