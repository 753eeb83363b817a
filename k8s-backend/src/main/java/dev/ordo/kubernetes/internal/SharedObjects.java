package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The objects around a node's workload: the deployment's namespace, volume claims and secrets, and each node's
 * Service (its name on the network) and ConfigMap (its environment). Created or updated before a workload needs
 * them, removed with the node or the deployment; an object of the same name that Ordo did not create is an error.
 *
 * <pre>{@code
 * new SharedObjects(client, api).prepare(deployment, "clp");
 * }</pre>
 */
final class SharedObjects {
    private final KubernetesClient client;
    private final Api api;

    SharedObjects(KubernetesClient client, Api api) {
        this.client = client;
        this.api = api;
    }

    void prepare(Deployment deployment, String ns) {
        requireExternalClaims(deployment, ns);
        Namespace existing = api.call("get", "namespaces", null, () -> client.namespaces().withName(ns).get());
        if (existing == null) {
            api.call("create", "namespaces", null,
                    () -> client.resource(ObjectFactory.namespace(deployment.name(), ns)).create());
        }
        for (PersistentVolumeClaim claim : SupportObjects.claims(deployment, ns)) {
            PersistentVolumeClaim found = api.call("get", "persistentvolumeclaims", ns,
                    () -> client.persistentVolumeClaims().inNamespace(ns).withName(claim.getMetadata().getName())
                            .get());
            if (found == null) {
                api.call("create", "persistentvolumeclaims", ns, () -> client.resource(claim).create());
            } else if (!named(deployment, claim.getMetadata().getName())) {
                // a claim the deployment names itself is "created when missing", as Compose's name: is, and may be
                // shared with other deployments; one Ordo derived the name of is its own, or a clash
                requireOurs(found, deployment.name(), "named volume");
            }
        }
        for (String name : SupportObjects.usedSecrets(deployment)) {
            dev.ordo.Secret secret = deployment.secrets().get(name);
            if (secret == null) {
                continue; // validation reports unknown secrets; nothing to deliver here
            }
            Secret wanted = SupportObjects.secret(deployment, secret, ns, true);
            Secret found = api.call("get", "secrets", ns,
                    () -> client.secrets().inNamespace(ns).withName(wanted.getMetadata().getName()).get());
            if (found == null) {
                api.call("create", "secrets", ns, () -> client.resource(wanted).create());
            } else {
                requireOurs(found, deployment.name(), "secret");
                if (!Objects.equals(found.getData(), wanted.getData())) {
                    found.setData(wanted.getData());
                    api.call("update", "secrets", ns, () -> client.resource(found).update());
                }
            }
        }
    }

    private static boolean named(Deployment deployment, String claim) {
        return deployment.volumes().stream().anyMatch(v -> !deployment.volume(v).platformName().isEmpty()
                && K8sNames.claimName(deployment, v).equals(claim));
    }

    /**
     * Fails naming every external volume whose claim is missing, before anything is created: Ordo mounts such a
     * claim but never creates it (nor deletes it).
     */
    private void requireExternalClaims(Deployment deployment, String ns) {
        List<String> missing = new ArrayList<>();
        for (String volume : Claims.externalVolumes(deployment)) {
            String claim = K8sNames.claimName(deployment, volume);
            if (api.call("get", "persistentvolumeclaims", ns,
                    () -> client.persistentVolumeClaims().inNamespace(ns).withName(claim).get()) == null) {
                missing.add("volume '" + volume + "' is external, but its PersistentVolumeClaim '" + claim
                        + "' does not exist in namespace '" + ns + "'; create it there (kubectl apply -n " + ns
                        + " -f <claim>.yaml), or drop external so that Ordo creates the volume");
            }
        }
        if (!missing.isEmpty()) {
            throw new OrdoException("deployment '" + deployment.name() + "' cannot run on Kubernetes as it is:\n  - "
                    + String.join("\n  - ", missing));
        }
    }

    /** Brings back a workload that a stop scaled down or suspended; whether there was anything to undo. */
    boolean resume(HasMetadata workload, Node node) {
        String ns = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                && !Objects.equals(d.getSpec().getReplicas(), node.replicas())) {
            api.call("patch", "deployments", ns, () -> client.apps().deployments().inNamespace(ns).withName(name)
                    .scale(node.replicas()));
            return true;
        }
        if (workload instanceof StatefulSet s && !Objects.equals(s.getSpec().getReplicas(), node.replicas())) {
            api.call("patch", "statefulsets", ns, () -> client.apps().statefulSets().inNamespace(ns).withName(name)
                    .scale(node.replicas()));
            return true;
        }
        if (workload instanceof Job j
                && Boolean.TRUE.equals(j.getSpec().getSuspend())) {
            api.call("patch", "jobs", ns, () -> client.batch().v1().jobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(false);
                        return x;
                    }));
            return true;
        }
        if (workload instanceof CronJob c && Boolean.TRUE.equals(c.getSpec().getSuspend())) {
            api.call("patch", "cronjobs", ns, () -> client.batch().v1().cronjobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(false);
                        return x;
                    }));
            return true;
        }
        return false;
    }

    /** Creates, updates or (when the node has no environment left) deletes the node's ConfigMap, before its pods read it. */
    void ensureConfigMap(Deployment deployment, Node node, String ns, ObjectIndex index) {
        var wanted = SupportObjects.configMap(deployment, node, ns);
        String name = K8sNames.configMapName(node.name());
        var found = index != null ? (ConfigMap) index.get("ConfigMap", name)
                : api.call("get", "configmaps", ns, () -> client.configMaps().inNamespace(ns).withName(name).get());
        if (found != null && !K8sNames.isOurs(found, deployment.name())) {
            throw new OrdoException(K8sNames.clash(found, deployment.name(), ns));
        }
        if (wanted.isEmpty()) {
            if (found != null) {
                api.call("delete", "configmaps", ns, () -> client.resource(found).delete());
                forget(index, "ConfigMap", name);
            }
        } else if (found == null) {
            remember(index, api.call("create", "configmaps", ns, () -> client.resource(wanted.get()).create()));
        } else if (!Objects.equals(found.getData(), wanted.get().getData())
                || !Objects.equals(K8sNames.hashOf(found), K8sNames.hashOf(wanted.get()))) {
            remember(index, api.call("update", "configmaps", ns, () -> client.resource(wanted.get()).update()));
        }
    }

    private static void remember(ObjectIndex index, HasMetadata o) {
        if (index != null && o != null) {
            index.created(o);
        }
    }

    private static void forget(ObjectIndex index, String kind, String name) {
        if (index != null) {
            index.forget(kind, name);
        }
    }

    /**
     * Creates or keeps the node's Services (its own and its aliases'), deleting one of them that is no longer
     * wanted (an alias dropped, the ports gone).
     */
    void ensureServices(Deployment deployment, Node node, String ns, ObjectIndex index) {
        Map<String, Service> wanted = new LinkedHashMap<>();
        SupportObjects.services(deployment, node, ns).forEach(s -> wanted.put(s.getMetadata().getName(), s));
        for (var stale : servicesOf(deployment, node.name(), ns, index)) {
            String name = stale.getMetadata().getName();
            if (!wanted.containsKey(name) && !name.equals(K8sNames.serviceName(node.name()))) {
                api.call("delete", "services", ns, () -> client.resource(stale).delete());
                forget(index, "Service", name);
            }
        }
        // the node's own name is checked even without ports: a foreign Service of that name is a clash
        ensureService(deployment, ns, index, K8sNames.serviceName(node.name()),
                wanted.remove(K8sNames.serviceName(node.name())));
        wanted.forEach((name, service) -> ensureService(deployment, ns, index, name, service));
    }

    private void ensureService(Deployment deployment, String ns, ObjectIndex index, String name,
                               Service wanted) {
        var found = index != null ? (Service) index.get("Service", name)
                : api.call("get", "services", ns, () -> client.services().inNamespace(ns).withName(name).get());
        if (found != null) {
            if (!K8sNames.isOurs(found, deployment.name())) {
                throw new OrdoException(K8sNames.clash(found, deployment.name(), ns));
            }
            if (wanted != null && sameEndpoints(found, wanted)) {
                // Kept across a change of the node: deleting it would break other nodes' connections and DNS.
                return;
            }
            api.call("delete", "services", ns, () -> client.resource(found).delete());
            new Removal(client, api).waitGone(found, Duration.ofSeconds(30));
            forget(index, "Service", name);
        }
        if (wanted != null) {
            remember(index, api.call("create", "services", ns, () -> client.resource(wanted).create()));
        }
    }

    /** The Services Ordo made for {@code node}: its own and its aliases'. */
    private List<Service> servicesOf(Deployment deployment, String node, String ns,
                                                                    ObjectIndex index) {
        Map<String, String> selector = K8sNames.selector(deployment.name(), node);
        if (index != null) {
            return index.all("Service").stream().map(o -> (Service) o)
                    .filter(o -> o.getMetadata().getLabels() != null
                            && o.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();
        }
        return api.call("list", "services", ns,
                () -> client.services().inNamespace(ns).withLabels(selector).list().getItems());
    }

    private static boolean sameEndpoints(Service found,
            Service wanted) {
        Function<Service, List<String>> ports = svc ->
                svc.getSpec().getPorts().stream().map(p -> p.getPort() + "/" + p.getProtocol() + "->"
                        + p.getTargetPort().getIntVal()).sorted().toList();
        boolean foundHeadless = "None".equals(found.getSpec().getClusterIP());
        boolean wantedHeadless = "None".equals(wanted.getSpec().getClusterIP());
        return ports.apply(found).equals(ports.apply(wanted)) && foundHeadless == wantedHeadless
                && Objects.equals(found.getSpec().getSelector(), wanted.getSpec().getSelector());
    }

    /** Deletes the node's Services (its aliases' too) and ConfigMap (its workload is gone already). */
    void removeNodeObjects(Deployment deployment, String node, String ns, ObjectIndex index) {
        for (var service : api.call("list", "services", ns, () -> client.services().inNamespace(ns)
                .withLabels(K8sNames.selector(deployment.name(), node)).list().getItems())) {
            if (K8sNames.isOurs(service, deployment.name())) {
                api.call("delete", "services", ns, () -> client.resource(service).delete());
                forget(index, "Service", service.getMetadata().getName());
            }
        }
        String configName = K8sNames.configMapName(node);
        var config = api.call("get", "configmaps", ns,
                () -> client.configMaps().inNamespace(ns).withName(configName).get());
        if (config != null && K8sNames.isOurs(config, deployment.name())) {
            api.call("delete", "configmaps", ns, () -> client.resource(config).delete());
        }
        forget(index, "ConfigMap", configName);
    }

    void release(Deployment deployment, String ns, boolean removeVolumes, boolean ownNamespace, Removal removal) {
        Map<String, String> ours = K8sNames.deploymentSelector(deployment.name());
        api.call("delete", "secrets", ns, () -> client.secrets().inNamespace(ns).withLabels(ours).delete());
        api.call("delete", "services", ns, () -> client.services().inNamespace(ns).withLabels(ours).delete());
        api.call("delete", "configmaps", ns, () -> client.configMaps().inNamespace(ns).withLabels(ours).delete());
        if (!removeVolumes) {
            return;
        }
        api.call("delete", "persistentvolumeclaims", ns,
                () -> client.persistentVolumeClaims().inNamespace(ns).withLabels(ours).delete());
        if (ownNamespace) {
            Namespace namespace = api.call("get", "namespaces", null, () -> client.namespaces().withName(ns).get());
            if (namespace != null && K8sNames.isOurs(namespace, deployment.name())) {
                api.call("delete", "namespaces", null, () -> client.resource(namespace).delete());
                // A terminating namespace refuses new objects, so an up right after this would fail: wait it out.
                removal.waitGone(namespace, Duration.ofMinutes(2));
            }
        }
    }

    private void requireOurs(HasMetadata found, String deployment, String what) {
        if (!K8sNames.isOurs(found, deployment)) {
            throw new OrdoException("the " + what + "'s " + found.getKind() + " '" + found.getMetadata().getName()
                    + "' already exists in namespace '" + found.getMetadata().getNamespace()
                    + "' without Ordo's labels for deployment '" + deployment + "'; Ordo never touches objects it "
                    + "did not create: delete it or run the deployment in another namespace");
        }
    }

}
