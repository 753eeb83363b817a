package dev.ordo.kubernetes.internal;

import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.spi.NodeEvents;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Follows one launch of one node and turns what the watches deliver into the engine's events, each at most once
 * and in order. Level-based: every call to {@link #evaluate} looks at the current objects, so a missed or repeated
 * watch event changes nothing.
 *
 * <p>What the events mean on Kubernetes: a service is <em>started</em> once as many of this launch's pods are in
 * phase {@code Running} as it has replicas, and <em>healthy</em> once its workload reports that many ready
 * replicas (readiness probes passing) or, for a log-line check, once every running pod's log has matched. A job
 * is started once its pod runs (or it has already finished) and <em>exits</em> when the Job gets condition
 * {@code Complete} (code 0) or {@code Failed} (the failed pod's exit code, after the Job's own retries).
 *
 * <pre>{@code
 * NodeTracker t = new NodeTracker(node, "Deployment", launchId, false, events, logs);
 * t.evaluate(workload, pods);
 * }</pre>
 */
public final class NodeTracker {
    /** What the tracker needs from the cluster besides the watched objects. */
    public interface Cluster {
        /** The last {@code lines} lines of a pod's log, oldest first; empty when unobtainable. */
        List<String> logTail(String pod, int lines);

        /** Runs {@code task} off the watch thread, after {@code delay}. */
        void schedule(Runnable task, Duration delay);

        /** Evaluates this tracker again with fresh objects from the watches. */
        void reevaluate(NodeTracker tracker);
    }

    private static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    private final Node node;
    private final String kind;
    private final String launch;
    private final boolean reused;
    private final NodeEvents events;
    private final Cluster cluster;
    private final Pattern logLine;
    private final Set<String> logMatched = new HashSet<>();
    private boolean started;
    private boolean healthy;
    private boolean finished;
    private boolean logCheckScheduled;
    private Duration logBackoff = Duration.ofMillis(100);

    /**
     * @param kind   the workload kind: Deployment, StatefulSet, Job or CronJob
     * @param launch the launch label value of the pods to follow
     * @param reused whether the workload was found unchanged and kept
     */
    public NodeTracker(Node node, String kind, String launch, boolean reused, NodeEvents events, Cluster cluster) {
        this.node = node;
        this.kind = kind;
        this.launch = launch;
        this.reused = reused;
        this.events = events;
        this.cluster = cluster;
        this.logLine = node.container().healthCheck()
                .filter(h -> h.probe() instanceof dev.ordo.HealthCheck.LogLine)
                .map(h -> Pattern.compile(((dev.ordo.HealthCheck.LogLine) h.probe()).regex()))
                .orElse(null);
    }

    /** The node followed. */
    public String node() {
        return node.name();
    }

    /** The workload kind followed. */
    public String kind() {
        return kind;
    }

    /**
     * Looks at the node's workload (or {@code null} while the watch has not delivered it) and all pods carrying
     * the node's labels, and reports whatever newly holds.
     */
    public synchronized void evaluate(HasMetadata workload, List<Pod> allPods) {
        if (finished || workload == null || !launch.equals(launchOf(workload))) {
            return;
        }
        List<Pod> pods = allPods.stream()
                .filter(p -> launch.equals(p.getMetadata().getLabels().get(K8sNames.LAUNCH)))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        Optional<String> pullFailure = imagePullFailure(pods);
        if (pullFailure.isPresent()) {
            finished = true;
            events.failed(node.name(), pullFailure.get());
            return;
        }
        if (workload instanceof CronJob) {
            // A scheduled job is registered, not run: the platform runs it later, so it counts as started now.
            report(true, false);
            finished = true;
            return;
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.batch.v1.Job job) {
            evaluateJob(job, pods);
            return;
        }
        evaluateService(workload, pods);
    }

    private void evaluateService(HasMetadata workload, List<Pod> pods) {
        Optional<String> quota = replicaFailure(workload);
        if (quota.isPresent()) {
            finished = true;
            events.failed(node.name(), quota.get());
            return;
        }
        Optional<ContainerStatus> crash = crashLoop(pods);
        if (crash.isPresent()) {
            // Kubernetes restarts the container forever; Ordo reports the crash once and leaves the verdict (and
            // whether to stop the node) to the engine.
            finished = true;
            reportCrash(pods, crash.get());
            return;
        }
        int wanted = node.replicas();
        long running = pods.stream().filter(NodeTracker::isRunning).count();
        if (!started && running < wanted) {
            return;
        }
        report(true, false);
        if (!node.hasHealthCheck() || healthy) {
            return;
        }
        if (logLine != null) {
            checkLogLines(pods, wanted);
            return;
        }
        if (readyReplicas(workload) >= wanted) {
            report(true, true, readySince(pods.stream().filter(NodeTracker::isRunning).toList()));
        }
    }

    private void evaluateJob(io.fabric8.kubernetes.api.model.batch.v1.Job job, List<Pod> pods) {
        var status = job.getStatus();
        boolean complete = hasCondition(job, "Complete");
        Optional<JobCondition> failed = job.getStatus() == null ? Optional.empty()
                : job.getStatus().getConditions().stream()
                        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
        boolean active = status != null && status.getActive() != null && status.getActive() > 0;
        if (complete || failed.isPresent() || active || pods.stream().anyMatch(NodeTracker::isRunning)) {
            report(true, false);
        }
        if (complete) {
            finished = true;
            events.exited(node.name(), 0, List.of());
            return;
        }
        if (failed.isPresent()) {
            finished = true;
            JobCondition c = failed.get();
            Pod last = pods.stream().filter(p -> "Failed".equals(phase(p)))
                    .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).orElse(null);
            int code = last == null ? 1 : exitCode(last).orElse(1);
            String reason = "job '" + node.name() + "' failed: " + c.getReason()
                    + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")
                    + (node instanceof Job j ? " after " + (j.backoffLimit() + 1) + " attempt(s)" : "");
            // Reading the log is a blocking call; the watch thread must stay free.
            cluster.schedule(() -> {
                List<String> tail = new ArrayList<>();
                tail.add(reason);
                if (last != null) {
                    tail.addAll(cluster.logTail(last.getMetadata().getName(), 49));
                }
                events.exited(node.name(), code == 0 ? 1 : code, tail);
            }, Duration.ZERO);
        }
    }

    private void report(boolean isStarted, boolean isHealthy) {
        report(isStarted, isHealthy, Optional.empty());
    }

    private void report(boolean isStarted, boolean isHealthy, Optional<Instant> passedSince) {
        if (isStarted && !started) {
            started = true;
            events.started(node.name(), reused);
        }
        if (isHealthy && !healthy) {
            healthy = true;
            // Kubernetes timestamps have one-second resolution, so the latency is an upper bound to the second.
            Duration latency = passedSince.map(t -> Duration.between(t, Instant.now()))
                    .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
            events.healthy(node.name(), latency);
        }
    }

    private void checkLogLines(List<Pod> pods, int wanted) {
        List<Pod> running = pods.stream().filter(NodeTracker::isRunning).toList();
        if (running.stream().filter(p -> logMatched.contains(p.getMetadata().getName())).count() >= wanted) {
            report(true, true);
            return;
        }
        if (logCheckScheduled) {
            return;
        }
        logCheckScheduled = true;
        Duration delay = logBackoff;
        // Kubernetes has no event for "a log line appeared"; reading the log with a backoff is the fallback.
        logBackoff = min(logBackoff.multipliedBy(2), node.container().healthCheck().orElseThrow().interval());
        cluster.schedule(() -> {
            for (Pod p : running) {
                String name = p.getMetadata().getName();
                if (!logMatched.contains(name)
                        && cluster.logTail(name, 1000).stream().anyMatch(l -> logLine.matcher(l).find())) {
                    synchronized (this) {
                        logMatched.add(name);
                    }
                }
            }
            synchronized (this) {
                logCheckScheduled = false;
            }
            cluster.reevaluate(this);
        }, delay);
    }

    private void reportCrash(List<Pod> pods, ContainerStatus status) {
        int code = status.getLastState() != null && status.getLastState().getTerminated() != null
                ? status.getLastState().getTerminated().getExitCode() : 1;
        String pod = pods.stream().filter(p -> statuses(p).anyMatch(s -> s == status)).findFirst()
                .map(p -> p.getMetadata().getName()).orElse(null);
        cluster.schedule(() -> {
            List<String> tail = new ArrayList<>();
            tail.add("service '" + node.name() + "' keeps crashing (CrashLoopBackOff, last exit code " + code + ")");
            if (pod != null) {
                tail.addAll(cluster.logTail(pod, 49));
            }
            events.exited(node.name(), code == 0 ? 1 : code, tail);
        }, Duration.ZERO);
    }

    private Optional<String> imagePullFailure(List<Pod> pods) {
        return pods.stream().flatMap(NodeTracker::statuses)
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
        if (!(workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) || d.getStatus() == null) {
            return Optional.empty();
        }
        return d.getStatus().getConditions().stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(DeploymentCondition::getMessage)
                .map(m -> "node '" + node.name() + "': Kubernetes cannot create its pods in namespace '"
                        + workload.getMetadata().getNamespace() + "' (" + m + ")"
                        + (m != null && m.contains("exceeded quota")
                                ? "; the namespace's resource quota is exhausted: raise it ('kubectl describe "
                                        + "resourcequota -n " + workload.getMetadata().getNamespace()
                                        + "') or lower the replicas or resource requests"
                                : "; see 'kubectl describe replicaset -n " + workload.getMetadata().getNamespace()
                                        + " -l " + K8sNames.NAME + "=" + node.name() + "'"));
    }

    private static Optional<ContainerStatus> crashLoop(List<Pod> pods) {
        return pods.stream().flatMap(NodeTracker::statuses)
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()))
                .findFirst();
    }

    private static Stream<ContainerStatus> statuses(Pod p) {
        if (p.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(p.getStatus().getInitContainerStatuses().stream(),
                p.getStatus().getContainerStatuses().stream());
    }

    private static Optional<Integer> exitCode(Pod p) {
        return p.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated().getExitCode())
                .findFirst();
    }

    private static boolean hasCondition(io.fabric8.kubernetes.api.model.batch.v1.Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Phase Running with every container running: a crash-looping container's pod is Running too. */
    static boolean isRunning(Pod p) {
        return "Running".equals(phase(p)) && p.getStatus().getContainerStatuses().stream()
                .allMatch(s -> s.getState() == null || s.getState().getRunning() != null);
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static int readyReplicas(HasMetadata workload) {
        Integer ready = null;
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d && d.getStatus() != null) {
            ready = d.getStatus().getReadyReplicas();
        } else if (workload instanceof StatefulSet s && s.getStatus() != null) {
            ready = s.getStatus().getReadyReplicas();
        }
        return ready == null ? 0 : ready;
    }

    /** When the last of the pods became ready, if they all say so. */
    static Optional<Instant> readySince(List<Pod> pods) {
        Instant latest = null;
        for (Pod p : pods) {
            if (p.getStatus() == null) {
                return Optional.empty();
            }
            PodCondition ready = p.getStatus().getConditions().stream()
                    .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                    .findFirst().orElse(null);
            if (ready == null || ready.getLastTransitionTime() == null) {
                return Optional.empty();
            }
            try {
                Instant t = Instant.parse(ready.getLastTransitionTime());
                latest = latest == null || t.isAfter(latest) ? t : latest;
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(latest);
    }

    /** The launch label on a workload's pod template. */
    static String launchOf(HasMetadata workload) {
        var labels = ObjectFactory.podTemplate(workload).getMetadata().getLabels();
        return labels == null ? null : labels.get(K8sNames.LAUNCH);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
