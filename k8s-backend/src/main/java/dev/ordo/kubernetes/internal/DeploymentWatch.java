package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers (list + watch, re-listing after a dropped connection) that follow one deployment's pods and
 * workloads, and the trackers they feed. One set per deployment instead of one watch per node keeps the number
 * of open watches constant however many nodes there are.
 *
 * <pre>{@code
 * DeploymentWatch w = new DeploymentWatch(client, "clp", "clp");
 * w.track(tracker);
 * }</pre>
 */
final class DeploymentWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentWatch.class);

    private final String namespace;
    private final Map<String, NodeTracker> trackers = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> pods;
    private final List<SharedIndexInformer<? extends HasMetadata>> workloads;

    DeploymentWatch(KubernetesClient client, String deployment, String namespace) {
        this.namespace = namespace;
        Map<String, String> ours = K8sNames.deploymentSelector(deployment);
        this.pods = indexed(client.pods().inNamespace(namespace).withLabels(ours));
        this.workloads = List.of(
                indexed(client.apps().deployments().inNamespace(namespace).withLabels(ours)),
                indexed(client.apps().statefulSets().inNamespace(namespace).withLabels(ours)),
                indexed(client.batch().v1().jobs().inNamespace(namespace).withLabels(ours)),
                indexed(client.batch().v1().cronjobs().inNamespace(namespace).withLabels(ours)));
    }

    /** Objects indexed by node key, so that a node's look at its objects costs its own, not a scan of all. */
    private static final String BY_KEY = "dev.ordo/key";

    private <T extends HasMetadata> SharedIndexInformer<T> indexed(
            Informable<T> source) {
        for (int attempt = 1; ; attempt++) {
            SharedIndexInformer<T> informer = source.runnableInformer(0);
            informer.addIndexers(Map.of(BY_KEY, o -> {
                String key = K8sNames.keyOf(o);
                return key == null ? List.of() : List.of(key);
            }));
            informer.addEventHandler(handler());
            try {
                informer.start().toCompletableFuture().join(); // listed before the first look, as inform() did
                return informer;
            } catch (CompletionException | KubernetesClientException e) {
                informer.stop();
                // fabric8 waits out a 429's Retry-After for plain requests, not for a watch's upgrade: do it here
                if (attempt >= Api.TOO_MANY_ATTEMPTS || !Api.tooMany(e) || !Api.pause()) {
                    throw e;
                }
            }
        }
    }

    String namespace() {
        return namespace;
    }

    /** Follows a node from now on, replacing whatever followed it before, and looks at it at once. */
    void track(NodeTracker tracker) {
        NodeTracker previous = trackers.put(tracker.key(), tracker);
        if (previous != null) {
            previous.quiet();
        }
        evaluate(tracker);
    }

    /** Stops following a node: a stopped node's pods going away is not a crash. */
    void untrack(String key) {
        NodeTracker t = trackers.remove(key);
        if (t != null) {
            t.quiet();
        }
    }

    /** Stops following every node (the engine detached from the deployment). */
    void untrackAll() {
        trackers.values().forEach(NodeTracker::quiet);
        trackers.clear();
    }

    /** The trackers followed now. */
    Collection<NodeTracker> trackers() {
        return trackers.values();
    }

    /** Looks at a node's current objects as the informers hold them. */
    void evaluate(NodeTracker tracker) {
        if (trackers.get(tracker.key()) != tracker) {
            return;
        }
        HasMetadata workload = null;
        for (SharedIndexInformer<? extends HasMetadata> informer : workloads) {
            for (HasMetadata o : informer.getIndexer().byIndex(BY_KEY, tracker.key())) {
                if (tracker.kind().equals(o.getKind())) {
                    workload = o;
                }
            }
        }
        List<Pod> own = pods.getIndexer().byIndex(BY_KEY, tracker.key());
        try {
            tracker.evaluate(workload, own);
        } catch (RuntimeException e) {
            LOG.warn("evaluating node '{}' failed", tracker.key(), e);
        }
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(obj);
            }
        };
    }

    private void changed(HasMetadata object) {
        String key = K8sNames.keyOf(object);
        NodeTracker tracker = key == null ? null : trackers.get(key);
        if (tracker != null) {
            evaluate(tracker);
        }
    }

    @Override
    public void close() {
        pods.close();
        workloads.forEach(SharedIndexInformer::close);
    }
}
