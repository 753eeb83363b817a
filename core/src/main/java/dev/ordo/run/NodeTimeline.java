package dev.ordo.run;

import dev.ordo.Node;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happened to one node in a run. Instants are offsets from {@link RunReport#startedAt()}.
 *
 * <pre>{@code
 * NodeTimeline webui = report.node("webui");
 * webui.started();   // Optional[PT25S]
 * webui.state();     // HEALTHY
 * }</pre>
 *
 * @param node             the node's name
 * @param kind             service or job
 * @param state            where it ended up
 * @param requested        when the engine asked the backend to start it (its conditions held and a slot was free)
 * @param started          when it was running
 * @param ready            when it became ready: healthy, started (no health check) or completed (a job)
 * @param finished         when it exited, failed, or was stopped
 * @param exitCode         its exit code, when it exited
 * @param failure          why it failed or never started
 * @param reused           whether {@code up} kept its running containers (or its earlier completion)
 * @param detectionLatency how long the backend took to notice it became healthy, when it can tell
 * @param gatedBy          the dependency whose condition held last before it was requested
 * @param restarts         how many times its restart policy brought it back during the run
 * @param placement        where it ran, when the backend runs the deployment in several places (a Docker engine)
 */
public record NodeTimeline(
        String node,
        Node.Kind kind,
        NodeState state,
        Optional<Duration> requested,
        Optional<Duration> started,
        Optional<Duration> ready,
        Optional<Duration> finished,
        OptionalInt exitCode,
        Optional<Failure> failure,
        boolean reused,
        Optional<Duration> detectionLatency,
        Optional<String> gatedBy,
        int restarts,
        Optional<String> placement) {

    public NodeTimeline {
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(requested, "requested == null");
        Objects.requireNonNull(started, "started == null");
        Objects.requireNonNull(ready, "ready == null");
        Objects.requireNonNull(finished, "finished == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
        Objects.requireNonNull(failure, "failure == null");
        Objects.requireNonNull(detectionLatency, "detectionLatency == null");
        Objects.requireNonNull(gatedBy, "gatedBy == null");
        Objects.requireNonNull(placement, "placement == null");
    }

    /** A timeline without a placement (the backend runs the deployment in one place). */
    public NodeTimeline(String node, Node.Kind kind, NodeState state, Optional<Duration> requested,
                        Optional<Duration> started, Optional<Duration> ready, Optional<Duration> finished,
                        OptionalInt exitCode, Optional<Failure> failure, boolean reused,
                        Optional<Duration> detectionLatency, Optional<String> gatedBy, int restarts) {
        this(node, kind, state, requested, started, ready, finished, exitCode, failure, reused, detectionLatency,
                gatedBy, restarts, Optional.empty());
    }

    /** Whether the node was ever started in this run (or kept running from an earlier one). */
    public boolean wasStarted() {
        return started.isPresent() || reused;
    }
}
