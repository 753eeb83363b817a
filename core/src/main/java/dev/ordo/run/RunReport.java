package dev.ordo.run;

import dev.ordo.OrdoException;
import dev.ordo.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run did, per node, and whether it succeeded. {@code up} returns it even when nodes failed: call
 * {@link #throwIfFailed()} to turn a failure into an exception.
 *
 * <pre>{@code
 * RunReport report = Orchestrator.using(backend).up(plan);
 * System.out.println(report.render());
 * report.throwIfFailed();
 * }</pre>
 */
public final class RunReport {
    /** What kind of run produced the report. */
    public enum Operation {
        /** Bring up. */
        UP,
        /** Stop and remove. */
        DOWN,
        /** Stop, keeping containers. */
        STOP,
        /** A triggered run of a living deployment (see {@link #origin()}). */
        RUN,
        /** A living deployment's restart of nodes. */
        RESTART
    }

    private final String deployment;
    private final Operation operation;
    private final String backend;
    private final Instant startedAt;
    private final Duration duration;
    private final Map<String, NodeTimeline> nodes;
    private final Optional<Failure> error;
    private final List<String> notes;
    private final Optional<RunOrigin> origin;

    /**
     * Made by the engine; public so that backends' and users' tests can build expected reports.
     *
     * @param nodes the timelines, in start order
     */
    public RunReport(String deployment, Operation operation, String backend, Instant startedAt, Duration duration,
                     List<NodeTimeline> nodes) {
        this(deployment, operation, backend, startedAt, duration, nodes, Optional.empty(), List.of());
    }

    /**
     * A report whose run was cut short by something no node is at fault for (see {@link #error()}).
     *
     * @param nodes the timelines, in start order
     * @param error the run's own failure, e.g. {@link Failure.Reason#PLATFORM_UNREACHABLE}
     */
    public RunReport(String deployment, Operation operation, String backend, Instant startedAt, Duration duration,
                     List<NodeTimeline> nodes, Optional<Failure> error) {
        this(deployment, operation, backend, startedAt, duration, nodes, error, List.of());
    }

    /**
     * A report with notes: what a reader must know that no node's row says.
     *
     * @param notes sentences, e.g. that a one-shot up does not fire the deployment's triggers
     */
    public RunReport(String deployment, Operation operation, String backend, Instant startedAt, Duration duration,
                     List<NodeTimeline> nodes, Optional<Failure> error, List<String> notes) {
        this(deployment, operation, backend, startedAt, duration, nodes, error, notes, Optional.empty());
    }

    /**
     * The report of a triggered run.
     *
     * @param origin which trigger started the run, when, and with which parameters
     */
    public RunReport(String deployment, Operation operation, String backend, Instant startedAt, Duration duration,
                     List<NodeTimeline> nodes, Optional<Failure> error, List<String> notes,
                     Optional<RunOrigin> origin) {
        this.deployment = Objects.requireNonNull(deployment, "deployment == null");
        this.operation = Objects.requireNonNull(operation, "operation == null");
        this.backend = Objects.requireNonNull(backend, "backend == null");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt == null");
        this.duration = Objects.requireNonNull(duration, "duration == null");
        Map<String, NodeTimeline> m = new LinkedHashMap<>();
        nodes.forEach(t -> m.put(t.node(), t));
        this.nodes = Collections.unmodifiableMap(m);
        this.error = Objects.requireNonNull(error, "error == null");
        this.notes = List.copyOf(notes);
        this.origin = Objects.requireNonNull(origin, "origin == null");
    }

    /** For a triggered run: the trigger, the run's id, when it fired and the parameters each step received. */
    public Optional<RunOrigin> origin() {
        return origin;
    }

    /** What a reader must know that no node's row says (e.g. triggers a one-shot up does not fire). */
    public List<String> notes() {
        return notes;
    }

    /**
     * The run's own failure, when something no node is at fault for ended it: the platform stopped answering.
     * Nodes it interrupted carry {@link Failure.Reason#PLATFORM_UNREACHABLE} and are not {@link #rootFailures()}.
     */
    public Optional<Failure> error() {
        return error;
    }

    /** The deployment's name. */
    public String deployment() {
        return deployment;
    }

    /** What the run did. */
    public Operation operation() {
        return operation;
    }

    /** The backend's name. */
    public String backend() {
        return backend;
    }

    /** When the run started, on the backend's clock (virtual for the simulated backend). */
    public Instant startedAt() {
        return startedAt;
    }

    /** How long the run took, on the backend's clock. */
    public Duration duration() {
        return duration;
    }

    /** Every node's timeline, in start order. */
    public List<NodeTimeline> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * The timeline of {@code node}.
     *
     * @throws OrdoException naming the closest node when the run did not cover {@code node}
     */
    public NodeTimeline node(String node) {
        NodeTimeline t = nodes.get(node);
        if (t == null) {
            throw new OrdoException("the " + operation.name().toLowerCase(Locale.ROOT) + " report of '"
                    + deployment + "' has no node '" + node + "'" + Names.didYouMean(node, nodes.keySet()));
        }
        return t;
    }

    /** Whether the run covered {@code node}. */
    public boolean covers(String node) {
        return nodes.containsKey(node);
    }

    /** Whether every node reached its goal (ready, completed, stopped or removed). */
    public boolean succeeded() {
        return error.isEmpty() && nodes.values().stream().noneMatch(t -> t.state().isFailure()
                || t.failure().isPresent());
    }

    /** The nodes that failed or never started, in start order. */
    public List<NodeTimeline> failures() {
        return nodes.values().stream().filter(t -> t.state().isFailure() || t.failure().isPresent()).toList();
    }

    /** The nodes that failed themselves (not because of another node), in start order. */
    public List<NodeTimeline> rootFailures() {
        return failures().stream().filter(t -> t.failure().map(f -> f.cause().isEmpty()
                && f.reason() != Failure.Reason.PLATFORM_UNREACHABLE).orElse(true)).toList();
    }

    /**
     * Throws when the run failed: {@link PlatformUnreachableException} when the platform stopped answering,
     * {@link JobFailedException} or {@link ReadinessTimeoutException} when the first root failure is of that kind,
     * else {@link RunFailedException}.
     */
    public RunReport throwIfFailed() {
        if (succeeded()) {
            return this;
        }
        throw RunFailedException.of(this);
    }

    /**
     * The chain that decided the run's length: from the node that became ready last, back through the dependency
     * whose condition held last before each node was requested.
     */
    public List<String> criticalPath() {
        NodeTimeline last = null;
        for (NodeTimeline t : nodes.values()) {
            if (t.ready().isPresent() && (last == null || t.ready().get().compareTo(last.ready().get()) >= 0)) {
                last = t;
            }
        }
        List<String> path = new ArrayList<>();
        for (NodeTimeline t = last; t != null; t = t.gatedBy().map(nodes::get).orElse(null)) {
            if (path.contains(t.node())) {
                break;
            }
            path.add(t.node());
        }
        Collections.reverse(path);
        return path;
    }

    /** The median health detection latency over the nodes that report one. */
    public Optional<Duration> medianDetectionLatency() {
        List<Duration> all = new ArrayList<>();
        nodes.values().forEach(t -> t.detectionLatency().ifPresent(all::add));
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Collections.sort(all);
        int n = all.size();
        return Optional.of(n % 2 == 1 ? all.get(n / 2) : all.get(n / 2 - 1).plus(all.get(n / 2)).dividedBy(2));
    }

    /** A plain-text table of the timeline, the critical path and the failures, for people. */
    public String render() {
        return ReportText.render(this);
    }

    @Override
    public String toString() {
        return "RunReport[" + operation + " " + deployment + " on " + backend + ", " + nodes.size() + " nodes, "
                + (succeeded() ? "succeeded" : error.map(e -> e.reason().name().toLowerCase(Locale.ROOT))
                        .orElse(failures().size() + " failed")) + ", " + duration + "]";
    }
}
