package dev.ordo.kubernetes.internal;

import dev.ordo.OrdoException;
import dev.ordo.spi.Labels;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How a node's objects go away: suspended (scaled to 0, a Job suspended) to be resumed later, or deleted with
 * foreground propagation, each waited for until the API server says so (watch, with a backed-off direct check as
 * the fallback), with an error naming the object and what to look at when it does not happen in time.
 *
 * <pre>{@code
 * new Removal(client, api).delete("clp", "webui", workload, Duration.ofSeconds(10));
 * }</pre>
 */
final class Removal {
    static final Duration DELETE_SLACK = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final Api api;

    Removal(KubernetesClient client, Api api) {
        this.client = client;
        this.api = api;
    }

    void suspend(HasMetadata workload) {
        String ns = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        switch (workload.getKind()) {
            case "Deployment" -> api.call("patch", "deployments", ns,
                    () -> client.apps().deployments().inNamespace(ns).withName(name).scale(0));
            case "StatefulSet" -> api.call("patch", "statefulsets", ns,
                    () -> client.apps().statefulSets().inNamespace(ns).withName(name).scale(0));
            // Suspending a Job deletes its running pods and keeps the Job, so a later start can resume it.
            case "Job" -> api.call("patch", "jobs", ns, () -> client.batch().v1().jobs().inNamespace(ns).withName(name)
                    .edit(x -> {
                        x.getSpec().setSuspend(true);
                        return x;
                    }));
            case "CronJob" -> api.call("patch", "cronjobs", ns, () -> client.batch().v1().cronjobs().inNamespace(ns)
                    .withName(name).edit(x -> {
                        x.getSpec().setSuspend(true);
                        return x;
                    }));
            default -> throw new IllegalStateException(workload.getKind());
        }
    }

    /** Deletes with foreground propagation and waits until the object and the node's pods are gone. */
    void delete(String deployment, String node, HasMetadata object, Duration grace) {
        String ns = object.getMetadata().getNamespace();
        api.call("delete", Api.resourceOf(object.getKind()), ns, () -> client.resource(object)
                .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .withGracePeriod(grace.toSeconds())
                .delete());
        waitGone(object, grace.plus(DELETE_SLACK));
        waitNoPods(deployment, node, runOf(object), ns, grace.plus(DELETE_SLACK));
    }

    void waitGone(HasMetadata object, Duration timeout) {
        String what = object.getKind() + " '" + object.getMetadata().getName() + "' in namespace '"
                + object.getMetadata().getNamespace() + "'";
        awaitCondition(Api.resourceOf(object.getKind()), object.getMetadata().getNamespace(),
                () -> client.resource(object).informOnCondition(List::isEmpty),
                () -> client.resource(object).get() == null, timeout,
                () -> what + " still exists " + timeout.toSeconds() + " s after Ordo deleted it; a finalizer may "
                        + "hold it: see 'kubectl describe " + object.getKind().toLowerCase(Locale.ROOT)
                        + " -n " + object.getMetadata().getNamespace() + " " + object.getMetadata().getName() + "'");
    }

    /** The triggered run an object belongs to, if it is a run's step. */
    static Optional<String> runOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(Labels.RUN));
    }

    /**
     * Waits until the pods of {@code node} are gone: those of run {@code run} only, or, without a run, those of the
     * node's start-up workload only — never another run's pods of the same node.
     */
    void waitNoPods(String deployment, String node, Optional<String> run, String ns, Duration timeout) {
        Map<String, String> selector = new LinkedHashMap<>(K8sNames.selector(deployment, node));
        run.ifPresent(r -> selector.put(Labels.RUN, r));
        Supplier<FilterWatchListDeletable<Pod, PodList, PodResource>> pods = () -> run.isPresent()
                        ? client.pods().inNamespace(ns).withLabels(selector)
                        : client.pods().inNamespace(ns).withLabels(selector).withoutLabel(Labels.RUN);
        awaitCondition("pods", ns,
                () -> pods.get().informOnCondition(List::isEmpty),
                () -> pods.get().list().getItems().isEmpty(), timeout,
                () -> "the pods of node '" + node + "' in namespace '" + ns + "' still exist " + timeout.toSeconds()
                        + " s after Ordo stopped it; see 'kubectl get pods -n " + ns + " -l " + K8sNames.NAME + "="
                        + K8sNames.labelValue(node) + "'");
    }

    /**
     * Waits for a watch to see a condition hold. A watch can miss a change that happens between its initial list
     * and the start of the watch (an API server that cannot resume from the list's resource version); so, as a
     * fallback, the condition is also checked directly with a backoff of 0.5 s doubling to 8 s.
     */
    private void awaitCondition(String resource, String ns,
            Supplier<CompletableFuture<?>> watch,
            BooleanSupplier check, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<?> future = api.call("watch", resource, ns, watch);
        long slice = 500;
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new OrdoException(failure.get());
                }
                try {
                    future.get(Math.min(slice, left), TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (api.call("get", resource, ns, check::getAsBoolean)) {
                        return;
                    }
                    slice = Math.min(slice * 2, 8_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("interrupted while waiting: " + failure.get());
        } catch (ExecutionException e) {
            throw new OrdoException("watching failed (" + e.getCause() + "): " + failure.get(), e.getCause());
        } finally {
            future.cancel(true);
        }
    }

}
