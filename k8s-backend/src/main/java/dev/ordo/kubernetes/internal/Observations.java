package dev.ordo.kubernetes.internal;

import dev.ordo.Node;
import dev.ordo.spi.ObservedNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Maps a workload and its pods to what the engine's {@code observe} wants.
 *
 * <pre>{@code
 * ObservedNode o = Observations.of(workload, "webui", pods, deployment.node("webui"), Instant.now());
 * }</pre>
 */
final class Observations {
    private Observations() {
    }

    /** One entry per workload of {@code deployment}, each with the pods of its current launch. */
    static List<ObservedNode> of(dev.ordo.Deployment deployment, List<HasMetadata> workloads, List<Pod> pods,
                                 Instant now) {
        List<ObservedNode> observed = new ArrayList<>();
        for (HasMetadata w : workloads) {
            String key = K8sNames.keyOf(w);
            String launch = NodeTracker.launchOf(w);
            List<Pod> own = pods.stream().filter(p -> key.equals(K8sNames.keyOf(p)))
                    .filter(p -> launch == null || launch.equals(p.getMetadata().getLabels().get(K8sNames.LAUNCH)))
                    .toList();
            observed.add(of(w, key, own, deployment.node(key), now));
        }
        return observed;
    }

    /**
     * What exists of {@code node} ({@code defined}: its definition, when the deployment still has it): the kubelet's
     * facts of each running pod (Ready, and since when it runs) go to core's one health rule,
     * {@link ObservedNode#runningState}, which decides; a pod that is not Ready is starting until core's budget says
     * unhealthy.
     */
    static ObservedNode of(HasMetadata w, String node, List<Pod> pods, Optional<Node> defined, Instant now) {
        String hash = K8sNames.hashOf(w);
        long running = pods.stream().filter(NodeTracker::isRunning).count();
        if (w instanceof Job job) {
            boolean complete = JobConditions.complete(job);
            boolean failed = JobConditions.failed(job).isPresent();
            if (complete || failed) {
                return new ObservedNode(node, hash, ObservedNode.State.EXITED,
                        OptionalInt.of(complete ? 0 : 1), pods.size());
            }
            return new ObservedNode(node, hash, running > 0 ? ObservedNode.State.RUNNING
                    : ObservedNode.State.CREATED, OptionalInt.empty(), pods.size());
        }
        if (w instanceof CronJob c) {
            return new ObservedNode(node, hash, Boolean.TRUE.equals(c.getSpec().getSuspend())
                    ? ObservedNode.State.EXITED : ObservedNode.State.RUNNING, OptionalInt.empty(), pods.size());
        }
        int wanted = w instanceof StatefulSet s ? s.getSpec().getReplicas()
                : ((Deployment) w).getSpec().getReplicas();
        boolean probed = ObjectFactory.podTemplate(w).getSpec().getContainers().stream()
                .anyMatch(c -> c.getReadinessProbe() != null);
        ObservedNode.State state;
        if (wanted == 0) {
            state = ObservedNode.State.EXITED;
        } else if (running < wanted) {
            state = ObservedNode.State.CREATED;
        } else if (!probed) {
            state = ObservedNode.State.RUNNING;
        } else if (defined.isEmpty()) {
            // no longer defined: its check is unknown, so only the kubelet's Ready counts, never a verdict
            state = NodeTracker.readyReplicas(w) >= wanted ? ObservedNode.State.HEALTHY : ObservedNode.State.RUNNING;
        } else {
            List<ObservedNode.ReplicaHealth> healths = pods.stream().filter(NodeTracker::isRunning)
                    .map(p -> new ObservedNode.ReplicaHealth(NodeTracker.podReady(p)
                            ? ObservedNode.ReplicaHealth.Health.PASSING : ObservedNode.ReplicaHealth.Health.UNKNOWN,
                            NodeTracker.startedAt(p))).toList();
            state = ObservedNode.runningState(defined.get().container().healthCheck(), healths, wanted, now);
        }
        return new ObservedNode(node, hash, state, OptionalInt.empty(), pods.size());
    }

    /**
     * The kubelet's message that it killed {@code pod}'s container for its liveness probe, from the pod's events
     * (reason Unhealthy, "Liveness probe failed: ...", or Killing, "... failed liveness probe ...").
     */
    static Optional<String> livenessKill(KubernetesClient client, String ns,
                                                   String pod) {
        try {
            return client.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
                    .map(Event::getMessage)
                    .filter(m -> m != null && (m.startsWith("Liveness probe failed") || m.contains("failed liveness probe")))
                    .reduce((first, last) -> last);
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
