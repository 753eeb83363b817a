package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code kubectl apply} or {@code helm upgrade} of a changed export would be refused, or would leave behind,
 * because Kubernetes keeps some fields of an object as they were created: a Job's pod template
 * ({@code ValidateJobUpdate}: spec.template is immutable), a StatefulSet's {@code volumeClaimTemplates},
 * {@code selector} and {@code serviceName} ({@code ValidateStatefulSetUpdate}: only replicas, ordinals, template,
 * update strategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change), a claim's access modes
 * ({@code ValidatePersistentVolumeClaimUpdate}: a bound claim's spec is immutable but for its storage request); and
 * a node whose workload kind changed (a service that gained a volume turns from a Deployment into a StatefulSet),
 * whose old object {@code apply} does not delete. Each names the object and what to do.
 *
 * <pre>{@code
 * List<String> problems = UpgradeRules.problems(objectsBefore, objectsAfter);
 * }</pre>
 */
public final class UpgradeRules {
    private UpgradeRules() {
    }

    /** Every refusal or leftover in going from {@code before} to {@code after}, one line each. */
    public static List<String> problems(List<HasMetadata> before, List<HasMetadata> after) {
        Map<String, HasMetadata> old = byKindAndName(before);
        Map<String, HasMetadata> now = byKindAndName(after);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, HasMetadata> e : now.entrySet()) {
            HasMetadata was = old.get(e.getKey());
            String name = e.getValue().getMetadata().getName();
            if (was instanceof Job j && e.getValue() instanceof Job k
                    && !same(j.getSpec().getTemplate(), k.getSpec().getTemplate())) {
                out.add("Job/" + name + ": its pod template changed, which Kubernetes does not change in a Job;"
                        + " delete it before applying (kubectl delete job " + name + "), and its dependents wait"
                        + " for the new run");
            }
            if (was instanceof PersistentVolumeClaim c && e.getValue() instanceof PersistentVolumeClaim d
                    && !same(c.getSpec().getAccessModes(), d.getSpec().getAccessModes())) {
                out.add("PersistentVolumeClaim/" + name + ": its access mode changed (" + c.getSpec().getAccessModes()
                        + " to " + d.getSpec().getAccessModes() + "), which Kubernetes does not change in a bound"
                        + " claim; copy the data to a new volume, or keep the volume's access mode as it was");
            }
            if (was instanceof StatefulSet s && e.getValue() instanceof StatefulSet t) {
                if (!same(s.getSpec().getVolumeClaimTemplates(), t.getSpec().getVolumeClaimTemplates())) {
                    out.add("StatefulSet/" + name + ": its volumeClaimTemplates changed (a storage size, a volume"
                            + " added or removed), which Kubernetes does not change; sizes are install-time: grow an"
                            + " existing claim by editing the PersistentVolumeClaim (if its StorageClass allows"
                            + " expansion), or delete the StatefulSet with --cascade=orphan and apply");
                }
                if (!same(s.getSpec().getSelector(), t.getSpec().getSelector())
                        || !Objects.equals(s.getSpec().getServiceName(), t.getSpec().getServiceName())) {
                    out.add("StatefulSet/" + name + ": its selector or serviceName changed, which Kubernetes does not"
                            + " change; delete it with --cascade=orphan and apply");
                }
            }
        }
        for (Map.Entry<String, HasMetadata> e : old.entrySet()) {
            String kind = e.getValue().getKind();
            String name = e.getValue().getMetadata().getName();
            boolean workload = kind.equals("Deployment") || kind.equals("StatefulSet");
            if (workload && !now.containsKey(e.getKey())) {
                String other = kind.equals("Deployment") ? "StatefulSet" : "Deployment";
                if (now.containsKey(other + "/" + name)) {
                    out.add(kind + "/" + name + " is now a " + other + " (a service that " + (other.equals(
                            "StatefulSet") ? "gained" : "lost") + " a volume of its own): apply leaves the " + kind
                            + " running beside it; delete it (kubectl delete " + kind.toLowerCase() + " " + name
                            + ")");
                }
            }
        }
        return out;
    }

    private static Map<String, HasMetadata> byKindAndName(List<HasMetadata> objects) {
        Map<String, HasMetadata> out = new LinkedHashMap<>();
        objects.forEach(o -> out.put(o.getKind() + "/" + o.getMetadata().getName(), o));
        return out;
    }

    private static boolean same(Object a, Object b) {
        return Serialization.asJson(a).equals(Serialization.asJson(b));
    }
}
