package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a deployment's namespace held when its up began, kept current with every object the driver creates or
 * deletes: one LIST per kind, read when first needed, instead of a GET per kind and node (at 1,000 nodes, 6,000
 * GETs). An object someone else creates meanwhile is not seen here: the create then fails with the API server's
 * conflict, named as any refusal.
 *
 * <pre>{@code
 * List<HasMetadata> existing = index.workloads("webui");
 * }</pre>
 */
final class ObjectIndex {
    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "Job", "CronJob");
    private final KubernetesClient client;
    private final Api api;
    private final String ns;
    private final Map<String, Map<String, HasMetadata>> byKind = new ConcurrentHashMap<>();

    ObjectIndex(KubernetesClient client, Api api, String ns) {
        this.client = client;
        this.api = api;
        this.ns = ns;
    }

    /** The workloads of any kind named {@code name}, as this index knows them. */
    List<HasMetadata> workloads(String name) {
        List<HasMetadata> found = new ArrayList<>();
        for (String kind : WORKLOAD_KINDS) {
            HasMetadata o = get(kind, name);
            if (o != null) {
                found.add(o);
            }
        }
        return found;
    }

    /** The object of {@code kind} named {@code name}, or null. */
    HasMetadata get(String kind, String name) {
        return kind(kind).get(name);
    }

    /** Every object of {@code kind}, as this index knows them. */
    Collection<HasMetadata> all(String kind) {
        return kind(kind).values();
    }

    void created(HasMetadata o) {
        kind(o.getKind()).put(o.getMetadata().getName(), o);
    }

    void removed(HasMetadata o) {
        forget(o.getKind(), o.getMetadata().getName());
    }

    void forget(String kind, String name) {
        Map<String, HasMetadata> m = byKind.get(kind);
        if (m != null) {
            m.remove(name); // a kind not listed yet is listed fresh when first needed
        }
    }

    private Map<String, HasMetadata> kind(String kind) {
        return byKind.computeIfAbsent(kind, k -> {
            Map<String, HasMetadata> m = new ConcurrentHashMap<>();
            list(k).forEach(o -> m.put(o.getMetadata().getName(), o));
            return m;
        });
    }

    private List<? extends HasMetadata> list(String kind) {
        return api.call("list", Api.resourceOf(kind), ns, () -> switch (kind) {
            case "Deployment" -> client.apps().deployments().inNamespace(ns).list().getItems();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).list().getItems();
            case "Job" -> client.batch().v1().jobs().inNamespace(ns).list().getItems();
            case "CronJob" -> client.batch().v1().cronjobs().inNamespace(ns).list().getItems();
            case "Service" -> client.services().inNamespace(ns).list().getItems();
            case "ConfigMap" -> client.configMaps().inNamespace(ns).list().getItems();
            default -> throw new IllegalStateException(kind);
        });
    }

    /** The workloads named {@code name} as the API server has them now (one GET per kind). */
    static List<HasMetadata> live(KubernetesClient client, Api api, String ns, String name) {
        List<HasMetadata> found = new ArrayList<>();
        for (String kind : WORKLOAD_KINDS) {
            HasMetadata o = api.call("get", Api.resourceOf(kind), ns, () -> switch (kind) {
                case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(name).get();
                case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(name).get();
                case "Job" -> client.batch().v1().jobs().inNamespace(ns).withName(name).get();
                case "CronJob" -> client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
                default -> throw new IllegalStateException(kind);
            });
            if (o != null) {
                found.add(o);
            }
        }
        return found;
    }
}
