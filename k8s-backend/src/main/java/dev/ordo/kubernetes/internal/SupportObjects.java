package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects around the workloads: a node's Service and ConfigMap, the deployment's volume claims and Secrets.
 * Pure, like {@link ObjectFactory}: the backend and the manifest export build the same objects.
 *
 * <pre>{@code
 * List<io.fabric8.kubernetes.api.model.Service> svcs = SupportObjects.services(deployment, node, "clp");
 * }</pre>
 */
public final class SupportObjects {
    private static final Logger LOG = LoggerFactory.getLogger(SupportObjects.class);
    /** The data key under which a Secret object holds the secret's value. */
    public static final String SECRET_KEY = "value";
    /** The size requested for a named volume's claim: the model has no size, and 1Gi is a common default. */
    public static final String DEFAULT_CLAIM_SIZE = "1Gi";

    private SupportObjects() {
    }

    /** Whether {@code node} gets a Service: a service that listens on ports. */
    public static boolean hasService(Node node) {
        return node instanceof Service && !node.container().ports().isEmpty();
    }

    /**
     * The Services of {@code node}, when it listens on ports: the one named after it ({@link K8sNames#serviceName})
     * first, then one per alias that can name a Service ({@link NameRules#aliasServices}), with the same selector
     * and ports, so that other pods reach it by its aliases as they do on Docker.
     */
    public static List<io.fabric8.kubernetes.api.model.Service> services(Deployment deployment, Node node,
            String namespace) {
        if (!hasService(node)) {
            return List.of();
        }
        String name = K8sNames.serviceName(node.name());
        List<ServicePort> ports = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Port p : node.container().ports()) {
            String protocol = p.protocol().toUpperCase(Locale.ROOT);
            if (!seen.add(p.container() + "/" + protocol)) {
                continue;
            }
            if (p.isPublished()) {
                LOG.info("node '{}' publishes port {} on host port {}; on Kubernetes it is reachable inside the "
                        + "cluster as {}:{}; use 'kubectl port-forward svc/{} {}:{}' to reach it from outside",
                        node.name(), p.container(), p.host(), name, p.container(), name, p.host(), p.container());
            }
            ports.add(new ServicePortBuilder().withName(protocol.toLowerCase(Locale.ROOT) + "-" + p.container())
                    .withPort(p.container()).withTargetPort(new IntOrString(p.container()))
                    .withProtocol(protocol).build());
        }
        List<io.fabric8.kubernetes.api.model.Service> out = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(name));
        names.addAll(NameRules.aliasServices(node));
        for (String n : names) {
            ServiceBuilder b = new ServiceBuilder()
                    .withMetadata(ObjectFactory.meta(deployment, node, namespace, n))
                    .withNewSpec().withSelector(K8sNames.selector(deployment.name(), node.name()))
                    .withPorts(ports).endSpec();
            if (ObjectFactory.isStateful(node)) {
                // A StatefulSet's governing service is headless so that each replica gets a stable DNS name; its
                // aliases resolve the same way.
                b.editSpec().withClusterIP("None").endSpec();
            }
            out.add(b.build());
        }
        return out;
    }

    /** Keys a ConfigMap accepts, and so the environment variables {@code envFrom} can deliver from one. */
    static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /**
     * The ConfigMap holding a node's plain configuration (its environment), imported with {@code envFrom}; none
     * when no variable of the node can be a ConfigMap key (such variables stay inline in the pod spec). Secrets
     * never go here: they are Secret objects.
     */
    public static Optional<ConfigMap> configMap(Deployment deployment, Node node,
            String namespace) {
        Map<String, String> data = new TreeMap<>();
        node.container().environment().forEach((k, v) -> {
            if (CONFIG_KEY.matcher(k).matches()) {
                data.put(k, v);
            }
        });
        if (data.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigMapBuilder()
                .withMetadata(ObjectFactory.meta(deployment, node, namespace, K8sNames.configMapName(node.name())))
                .withData(data).build());
    }

    /** The plain claims of the deployment (see {@link Claims}). */
    public static List<PersistentVolumeClaim> claims(Deployment deployment, String namespace) {
        return Claims.shared(deployment, namespace);
    }

    /** The names of the deployment secrets that some node uses. */
    public static Set<String> usedSecrets(Deployment deployment) {
        return usedSecrets(deployment.nodes());
    }

    /** The names of the deployment secrets that some of {@code nodes} use, in order of first use. */
    public static Set<String> usedSecrets(Collection<? extends Node> nodes) {
        Set<String> used = new LinkedHashSet<>();
        nodes.forEach(n -> n.container().secrets().forEach(r -> used.add(r.secret())));
        return used;
    }

    /**
     * The Secret object holding one deployment secret. Reads the secret's value.
     *
     * @param withValue false to leave the data out (an exported manifest must not carry the value)
     */
    public static Secret secret(Deployment deployment, dev.ordo.Secret secret, String namespace, boolean withValue) {
        SecretBuilder b = new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(K8sNames.secretName(deployment.name(), secret.name()))
                        .withNamespace(namespace).withLabels(K8sNames.sharedLabels(deployment.name())).build())
                .withType("Opaque");
        if (withValue) {
            b.withData(Map.of(SECRET_KEY, Base64.getEncoder().encodeToString(secret.value())));
        }
        return b.build();
    }
}
