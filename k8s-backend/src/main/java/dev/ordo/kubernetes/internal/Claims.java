package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Service;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which named volumes become a StatefulSet's {@code volumeClaimTemplates} and which stay plain claims. A volume
 * mounted by one service only is that service's own: a claim per replica, made by the StatefulSet controller and
 * kept when the StatefulSet is deleted (its retention policy's default), so {@code kubectl delete -f} leaves the
 * data. A volume shared by several nodes, or mounted by a job, is one plain claim that every pod mounts; it carries
 * {@code helm.sh/resource-policy: keep}, so {@code helm uninstall} keeps it too, but {@code kubectl delete -f} of a
 * file that holds it deletes it. A volume the deployment names ({@code Volume.of("cache").named("shared-cache")})
 * is a plain claim of exactly that name, and an external one ({@code Volume.external("pgdata")}) an existing claim
 * that Ordo mounts but never creates nor deletes.
 *
 * <pre>{@code
 * Claims.owned(deployment, node);      // [database-data]: templates of node's StatefulSet
 * Claims.shared(deployment, "clp");    // plain claims of the deployment
 * }</pre>
 */
public final class Claims {
    /** Helm keeps a resource with this annotation on uninstall. */
    static final Map<String, String> KEEP = Map.of("helm.sh/resource-policy", "keep");

    private Claims() {
    }

    /**
     * The volumes {@code node} alone mounts, if it is a service: its StatefulSet's claim templates. A volume the
     * deployment declares under a name of its own, or as external, is never a template: its claim has exactly that
     * name, which a template's claims ({@code <template>-<set>-<ordinal>}) would not.
     */
    public static Set<String> owned(Deployment deployment, Node node) {
        Set<String> out = new LinkedHashSet<>();
        if (!(node instanceof Service)) {
            return out;
        }
        for (Mount m : node.container().mounts()) {
            if (m.type() == Mount.Type.VOLUME && deployment.volume(m.source()).platformName().isEmpty()
                    && !deployment.volume(m.source()).external() && users(deployment, m.source()).size() == 1) {
                out.add(m.source());
            }
        }
        return out;
    }

    /** The claim template of {@code volume} in a StatefulSet: the claims it makes carry the deployment's labels. */
    static PersistentVolumeClaim template(Deployment deployment, String volume) {
        return new PersistentVolumeClaimBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(K8sNames.podVolumeName(volume))
                        .withLabels(K8sNames.sharedLabels(deployment.name())).build())
                .withNewSpec().withAccessModes(accessMode(deployment, volume))
                .withNewResources().addToRequests("storage", new Quantity(SupportObjects.DEFAULT_CLAIM_SIZE))
                .endResources().endSpec().build();
    }

    /** The volumes that are not a single service's own: each is one plain claim (an external one exists already). */
    public static Set<String> sharedVolumes(Deployment deployment) {
        Set<String> owned = new LinkedHashSet<>();
        deployment.nodes().forEach(n -> owned.addAll(owned(deployment, n)));
        Set<String> out = new LinkedHashSet<>(deployment.volumes());
        out.removeAll(owned);
        return out;
    }

    /** The mounted volumes that are external: existing claims, never created nor deleted by Ordo. */
    public static Set<String> externalVolumes(Deployment deployment) {
        Set<String> out = new LinkedHashSet<>();
        deployment.volumes().stream().filter(v -> deployment.volume(v).external()).forEach(out::add);
        return out;
    }

    /** The claim's access mode: {@code ReadWriteMany} when the deployment declares the volume so. */
    static String accessMode(Deployment deployment, String volume) {
        return deployment.volume(volume).manyNodes() ? "ReadWriteMany" : "ReadWriteOnce";
    }

    /** The nodes that mount {@code volume}, in definition order. */
    public static List<String> users(Deployment deployment, String volume) {
        return deployment.nodes().stream().filter(n -> n.container().mounts().stream()
                .anyMatch(m -> m.type() == Mount.Type.VOLUME && m.source().equals(volume))).map(Node::name).toList();
    }

    /** The plain claims Ordo creates: one per volume that is neither a single service's own nor external. */
    public static List<PersistentVolumeClaim> shared(Deployment deployment, String namespace) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (String volume : sharedVolumes(deployment)) {
            if (deployment.volume(volume).external()) {
                continue;
            }
            claims.add(new PersistentVolumeClaimBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName(K8sNames.claimName(deployment, volume))
                            .withNamespace(namespace).withLabels(K8sNames.sharedLabels(deployment.name()))
                            .withAnnotations(KEEP).build())
                    .withNewSpec().withAccessModes(accessMode(deployment, volume))
                    .withNewResources().addToRequests("storage", new Quantity(SupportObjects.DEFAULT_CLAIM_SIZE))
                    .endResources().endSpec().build());
        }
        return claims;
    }
}
