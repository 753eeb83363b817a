package dev.ordo.kubernetes.internal;

import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeEvents;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Follows one launch of one node and turns what the informers hold into facts, each at most once and in order:
 * every pod is a replica (numbered 1..n in the order first seen, a replaced pod taking a freed number); its
 * container running is {@code started}, a container that terminated is {@code exited} with its code and log tail,
 * the pod's Ready condition turning true or false is a probe result, and, for a log-line check, its new log lines
 * are output. A Job's pod is replica 1; the Job's {@code Complete} or {@code Failed} condition is its exit. Level
 * based: every {@link #evaluate} looks at the current objects, so a missed or repeated watch event changes
 * nothing. It decides nothing: core counts restarts, judges health and retries jobs; the kubelet's own verdict
 * (a liveness kill) is reported as such ({@code Fact.LivenessKilled}).
 *
 * <pre>{@code
 * NodeTracker t = new NodeTracker(launch, node, "Deployment", launchId, false, events, cluster);
 * t.evaluate(workload, pods);
 * }</pre>
 */
public final class NodeTracker {
    /** What the tracker needs from the cluster besides the watched objects. */
    public interface Cluster {
        /** The last {@code lines} lines of a pod's log, oldest first; empty when unobtainable. */
        List<String> logTail(String pod, int lines);

        /**
         * The kubelet's word that it killed {@code pod}'s container for failing its liveness probe (its Unhealthy
         * or Killing event), if it did.
         */
        Optional<String> livenessKill(String pod);

        /** Runs {@code task} off the watch thread, after {@code delay}, in order with earlier tasks of no delay. */
        void schedule(Runnable task, Duration delay);

        /** Evaluates this tracker again with fresh objects from the watches. */
        void reevaluate(NodeTracker tracker);
    }

    private static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    /** What has been reported of one pod. */
    private static final class PodFacts {
        final int replica;
        boolean started;
        boolean exited;
        boolean ready;
        int restarts;
        int linesSeen;
        boolean reading;

        PodFacts(int replica) {
            this.replica = replica;
        }
    }

    private final String key;
    private final Node node;
    private final String kind;
    private final String launch;
    private final boolean reused;
    private final NodeEvents events;
    private final Cluster cluster;
    private final boolean logLine;
    private final Map<String, PodFacts> pods = new HashMap<>();
    private boolean finished;
    private volatile boolean quiet;

    /**
     * @param kind   the workload kind: Deployment, StatefulSet or Job
     * @param launch the launch label value of the pods to follow
     * @param reused whether the workload was found unchanged and kept
     */
    public NodeTracker(Launch l, Node node, String kind, String launch, boolean reused, NodeEvents events,
                       Cluster cluster) {
        this.key = l.key();
        this.node = node;
        this.kind = kind;
        this.launch = launch;
        this.reused = reused;
        this.events = events;
        this.cluster = cluster;
        this.logLine = node.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine)
                .orElse(false);
    }

    /** How facts name the node (see {@link Launch#key()}). */
    public String key() {
        return key;
    }

    /** The workload kind followed. */
    public String kind() {
        return kind;
    }

    /** The facts reported so far, as seen by this tracker's sink. */
    public NodeEvents events() {
        return events;
    }

    /** No more facts: the node is being stopped, or the engine detached. */
    public void quiet() {
        quiet = true;
    }

    /**
     * Looks at the node's workload (or {@code null} while the watch has not delivered it) and all pods carrying
     * the node's labels, and reports whatever newly happened.
     */
    public synchronized void evaluate(HasMetadata workload, List<Pod> allPods) {
        if (quiet || finished || workload == null || !launch.equals(launchOf(workload))) {
            return;
        }
        List<Pod> own = allPods.stream()
                .filter(p -> launch.equals(p.getMetadata().getLabels().get(K8sNames.LAUNCH)))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        Optional<String> refusal = imagePullFailure(own).or(() -> PodTrouble.of(node.name(), own))
                .or(() -> replicaFailure(workload));
        if (refusal.isPresent()) {
            finished = true;
            events.report(new Fact.Refused(key, refusal.get()));
            return;
        }
        if (workload instanceof Job job) {
            evaluateJob(job, own);
        } else {
            evaluateService(own);
        }
    }

    private void evaluateService(List<Pod> own) {
        pods.keySet().retainAll(own.stream().map(p -> p.getMetadata().getName()).toList());
        for (Pod p : own) {
            PodFacts f = pods.get(p.getMetadata().getName());
            if (f == null) {
                int free = freeReplica();
                if (free > node.replicas()) {
                    continue; // a surplus pod, e.g. an old one on its way out
                }
                f = new PodFacts(free);
                pods.put(p.getMetadata().getName(), f);
            }
            follow(p, f);
        }
    }

    private int freeReplica() {
        Set<Integer> used = new TreeSet<>();
        pods.values().forEach(f -> used.add(f.replica));
        int k = 1;
        while (used.contains(k)) {
            k++;
        }
        return k;
    }

    private void follow(Pod p, PodFacts f) {
        ContainerStatus cs = mainStatus(p);
        String pod = p.getMetadata().getName();
        int restarts = cs == null || cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        boolean running = isRunning(p);
        boolean terminated = cs != null && cs.getState() != null && cs.getState().getTerminated() != null;
        if (f.started && !f.exited && (terminated || restarts > f.restarts)) {
            // The container ended: its code from its current or last state.
            int code = terminated ? cs.getState().getTerminated().getExitCode()
                    : cs.getLastState() != null && cs.getLastState().getTerminated() != null
                            ? cs.getLastState().getTerminated().getExitCode() : 1;
            f.exited = true;
            f.ready = false;
            int replica = f.replica;
            boolean liveness = node instanceof Service && node.container().liveness().isPresent();
            cluster.schedule(() -> {
                // The kubelet counted the failures and killed the container: its verdict, reported as what it is
                if (liveness) {
                    cluster.livenessKill(pod).ifPresent(said -> events.report(
                            new Fact.LivenessKilled(key, replica, said)));
                }
                events.report(new Fact.Exited(key, replica, code, cluster.logTail(pod, Launch.LOG_TAIL_LINES)));
            }, Duration.ZERO);
        }
        if (running && (!f.started || f.exited && restarts > f.restarts)) {
            boolean wasStarted = f.started;
            f.started = true;
            f.exited = false;
            f.restarts = restarts;
            f.linesSeen = 0;
            int replica = f.replica;
            cluster.schedule(() -> events.report(new Fact.Started(key, replica, reused && !wasStarted)), Duration.ZERO);
        }
        if (!f.started || f.exited) {
            return;
        }
        boolean ready = podReady(p);
        if (ready != f.ready) {
            f.ready = ready;
            int replica = f.replica;
            Duration latency = ready ? readySince(p).map(t -> Duration.between(t, Instant.now()))
                    .filter(d -> !d.isNegative()).orElse(Duration.ZERO) : Duration.ZERO;
            cluster.schedule(() -> events.report(new Fact.Probed(key, replica, ready, ready ? "pod Ready" : "pod not Ready",
                    reused ? Duration.ZERO : latency)), Duration.ZERO);
        }
        if (logLine && running && !f.reading) {
            readLog(pod, f, Duration.ofMillis(100));
        }
    }

    /** Kubernetes has no event for "a log line appeared": the log is read again with a backoff. */
    private void readLog(String pod, PodFacts f, Duration delay) {
        f.reading = true;
        cluster.schedule(() -> {
            List<String> lines = cluster.logTail(pod, 1000);
            synchronized (this) {
                if (quiet) {
                    return;
                }
                for (int i = f.linesSeen; i < lines.size(); i++) {
                    events.report(new Fact.Output(key, f.replica, lines.get(i)));
                }
                f.linesSeen = Math.max(f.linesSeen, lines.size());
                f.reading = false;
            }
            Duration next = delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                    : delay.multipliedBy(2);
            synchronized (this) {
                if (!quiet && !finished && f.started && !f.exited) {
                    readLog(pod, f, next);
                }
            }
        }, delay);
    }

    private void evaluateJob(Job job, List<Pod> own) {
        PodFacts f = pods.computeIfAbsent("job", k -> new PodFacts(1));
        boolean complete = JobConditions.complete(job);
        Optional<String> failed = JobConditions.failed(job);
        boolean active = job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0;
        if (!f.started && (complete || failed.isPresent() || active || own.stream().anyMatch(NodeTracker::isRunning))) {
            f.started = true;
            cluster.schedule(() -> events.report(new Fact.Started(key, 1, reused)), Duration.ZERO);
        }
        if (!complete && failed.isEmpty()) {
            return;
        }
        finished = true;
        Pod last = own.stream().max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                : p.getMetadata().getCreationTimestamp())).orElse(null);
        int code = complete ? 0 : last == null ? 1 : exitCode(last).orElse(1);
        cluster.schedule(() -> events.report(new Fact.Exited(key, 1, code == 0 && !complete ? 1 : code,
                last == null ? List.of() : cluster.logTail(last.getMetadata().getName(), Launch.LOG_TAIL_LINES))),
                Duration.ZERO);
    }

    private Optional<String> imagePullFailure(List<Pod> own) {
        return own.stream().flatMap(NodeTracker::statuses)
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                        && IMAGE_PULL_FAILURES.contains(s.getState().getWaiting().getReason()))
                .findFirst()
                .map(s -> "node '" + node.name() + "': image '" + s.getImage() + "' cannot be pulled ("
                        + s.getState().getWaiting().getReason()
                        + (s.getState().getWaiting().getMessage() == null ? ""
                                : ": " + s.getState().getWaiting().getMessage())
                        + "); check the image name and tag, that the cluster's nodes can reach the registry, and "
                        + "for a private registry that the namespace has an imagePullSecret");
    }

    private Optional<String> replicaFailure(HasMetadata workload) {
        if (!(workload instanceof Deployment d) || d.getStatus() == null) {
            return Optional.empty();
        }
        String ns = workload.getMetadata().getNamespace();
        return d.getStatus().getConditions().stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(DeploymentCondition::getMessage)
                .map(m -> "node '" + node.name() + "': Kubernetes cannot create its pods in namespace '" + ns + "' ("
                        + m + ")" + (m != null && m.contains("exceeded quota")
                                ? "; the namespace's resource quota is exhausted: raise it ('kubectl describe "
                                        + "resourcequota -n " + ns + "') or lower the replicas or resource requests"
                                : "; see 'kubectl describe replicaset -n " + ns + " -l " + K8sNames.NAME + "="
                                        + K8sNames.labelValue(node.name()) + "'"));
    }

    private static ContainerStatus mainStatus(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        return p.getStatus().getContainerStatuses().get(0);
    }

    private static Stream<ContainerStatus> statuses(Pod p) {
        if (p.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(p.getStatus().getInitContainerStatuses().stream(),
                p.getStatus().getContainerStatuses().stream());
    }

    private static Optional<Integer> exitCode(Pod p) {
        return p.getStatus() == null ? Optional.empty() : p.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated().getExitCode())
                .findFirst();
    }

    /** Phase Running with every container running: a crash-looping container's pod is Running too. */
    static boolean isRunning(Pod p) {
        return "Running".equals(phase(p)) && p.getStatus().getContainerStatuses().stream()
                .allMatch(s -> s.getState() == null || s.getState().getRunning() != null);
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    /** When the pod's main container last started running, when the kubelet says. */
    static Optional<Instant> startedAt(Pod p) {
        ContainerStatus cs = mainStatus(p);
        if (cs == null || cs.getState() == null || cs.getState().getRunning() == null
                || cs.getState().getRunning().getStartedAt() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(cs.getState().getRunning().getStartedAt()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static boolean podReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static int readyReplicas(HasMetadata workload) {
        Integer ready = null;
        if (workload instanceof Deployment d && d.getStatus() != null) {
            ready = d.getStatus().getReadyReplicas();
        } else if (workload instanceof StatefulSet s && s.getStatus() != null) {
            ready = s.getStatus().getReadyReplicas();
        }
        return ready == null ? 0 : ready;
    }

    /** When the pod became ready, if it says so. */
    static Optional<Instant> readySince(Pod p) {
        PodCondition ready = p.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst().orElse(null);
        if (ready == null || ready.getLastTransitionTime() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(ready.getLastTransitionTime()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The launch label on a workload's pod template. */
    static String launchOf(HasMetadata workload) {
        var labels = ObjectFactory.podTemplate(workload).getMetadata().getLabels();
        return labels == null ? null : labels.get(K8sNames.LAUNCH);
    }
}
