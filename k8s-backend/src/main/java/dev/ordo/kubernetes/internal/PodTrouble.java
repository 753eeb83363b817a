package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why a node's pods cannot start, read from their status as soon as Kubernetes says so, instead of waiting for the
 * node's timeout: no cluster node can take them (the scheduler's Unschedulable, a PersistentVolumeClaim that stays
 * Pending included), or their container cannot be created (CreateContainerConfigError: a missing Secret or
 * ConfigMap key; CreateContainerError). Image pulls and quotas are told apart elsewhere.
 *
 * <pre>{@code
 * Optional<String> why = PodTrouble.of("webui", pods);   // "node 'webui': no cluster node can run its pod (...)"
 * }</pre>
 */
final class PodTrouble {
    private PodTrouble() {
    }

    static Optional<String> of(String node, List<Pod> pods) {
        for (Pod p : pods) {
            if (p.getStatus() == null) {
                continue;
            }
            String ns = p.getMetadata().getNamespace();
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    String m = c.getMessage() == null ? "" : c.getMessage();
                    return Optional.of("node '" + node + "': no cluster node can run its pod (Unschedulable: " + m
                            + ")" + (m.contains("PersistentVolumeClaim")
                            ? "; a volume claim is not bound: check 'kubectl get pvc -n " + ns + "' and the cluster's"
                                    + " storage class"
                            : "; lower its resource requests, or check node selectors, taints and free capacity"
                                    + " ('kubectl describe pod -n " + ns + " " + p.getMetadata().getName() + "')"));
                }
            }
            Optional<ContainerStatus> waiting = Stream.concat(p.getStatus().getInitContainerStatuses().stream(),
                            p.getStatus().getContainerStatuses().stream())
                    .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                    .filter(s -> List.of("CreateContainerConfigError", "CreateContainerError")
                            .contains(s.getState().getWaiting().getReason()))
                    .findFirst();
            if (waiting.isPresent()) {
                var w = waiting.get().getState().getWaiting();
                return Optional.of("node '" + node + "': Kubernetes cannot create its container '"
                        + waiting.get().getName() + "' (" + w.getReason() + ": " + w.getMessage() + "); create the"
                        + " Secret or ConfigMap it names in namespace '" + ns + "' (for Ordo's secrets: the header of"
                        + " the exported manifests lists the commands)");
            }
        }
        return Optional.empty();
    }
}
