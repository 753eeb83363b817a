package dev.ordo.run;

import dev.ordo.Condition;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What core knows of one node during a run: its phase, its replicas, its timers and its timeline. The rules that
 * change it live in {@link NodeEnd} (how a run of the node ends) and {@link NodeLife} (facts, start and health).
 */
abstract class NodeRecord {
    enum Phase { WAITING, POOL_WAIT, STARTING, STARTED, HEALTHY, UNHEALTHY, COMPLETED, FAILED, SKIPPED, STOPPED,
        REMOVED }

    /** A dependency edge at run time; {@code counted} once its condition has held. */
    static final class Arc {
        final NodeLife from;
        final NodeLife to;
        final Condition condition;
        final boolean restart;
        boolean counted;

        Arc(NodeLife from, NodeLife to, Condition condition, boolean restart) {
            this.from = from;
            this.to = to;
            this.condition = condition;
            this.restart = restart;
        }
    }

    final Node node;
    final List<Arc> in = new ArrayList<>(2);
    final List<Arc> out = new ArrayList<>(2);
    final Flow flow;
    final Pattern logLine;
    Phase phase = Phase.WAITING;
    int pending;
    int priority;
    Instant requested;
    Instant started;
    Instant ready;
    Instant finished;
    OptionalInt exitCode = OptionalInt.empty();
    Failure failure;
    boolean reused;
    boolean recreate;
    boolean keep;
    boolean holdsSlot;
    boolean launchedByRun;
    /** What core asked the backend to stage for this node, until it starts or unstages it. */
    Launch staged;
    Duration latency;
    String gatedBy;
    int restarts;
    int attempt;
    Replica[] replicas = new Replica[0];
    final ArrayDeque<String> output = new ArrayDeque<>();
    Timers.Ticket readiness;
    Timers.Ticket jobDeadline;
    boolean deadlinePassed;
    /** Whether the engine asked the backend to stop it (teardown, redeploy): its exits are expected. */
    boolean stopping;

    NodeRecord(Node node, Flow flow) {
        this.node = node;
        this.flow = flow;
        this.logLine = node instanceof Service ? node.container().healthCheck()
                .map(HealthCheck::probe).filter(HealthCheck.LogLine.class::isInstance)
                .map(p -> Pattern.compile(((HealthCheck.LogLine) p).regex())).orElse(null) : null;
    }

    /** How facts name this node: its name, or {@code name@run} for a step of a triggered run. */
    String key() {
        return Launch.keyOf(node.name(), flow.run);
    }

    String what() {
        return node.kind().label() + " '" + node.name() + "'" + flow.run.map(r -> " (run " + r + ")").orElse("");
    }

    /**
     * Whether the run must wait for this node to settle: it is not ready yet, or, ready, one of its replicas awaits
     * a restart or keeps failing its probes, so that its verdict is still open.
     */
    boolean inFlight() {
        if (phase == Phase.STARTING || phase == Phase.STARTED && !isReady()) {
            return true;
        }
        if (live()) {
            for (Replica r : replicas) {
                if (r.restartWait != null || r.failing != null) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean isReady() {
        return phase == Phase.HEALTHY || phase == Phase.COMPLETED
                || phase == Phase.STARTED && node instanceof Service && !node.hasHealthCheck();
    }

    boolean live() {
        return phase == Phase.STARTING || phase == Phase.STARTED || phase == Phase.HEALTHY
                || phase == Phase.UNHEALTHY;
    }

    /** Runs attempt {@code n} (from 1) of the node. */
    abstract void attempt(int n);

    /** The node failed by core's verdict: no more waiting on it. */
    abstract void fail(Failure f);

    Replica replica(int index) {
        return index >= 1 && index <= replicas.length ? replicas[index - 1] : null;
    }

    static String lastProbe(Replica x) {
        return x.lastProbe.isBlank() ? "" : " (last probe: '" + x.lastProbe.strip() + "')";
    }


    static String lastLine(List<String> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (!tail.get(i).isBlank()) {
                return "; last output: '" + tail.get(i).strip() + "'";
            }
        }
        return "";
    }

    /** This node's row of the run report, offsets from {@code engine}'s start. */
    NodeTimeline timeline(Flow flow) {
        NodeRecord r = this;
        NodeState state = switch (r.phase) {
            case WAITING, POOL_WAIT, STARTING -> r.failure != null && r.failure.reason()
                    != Failure.Reason.PLATFORM_UNREACHABLE ? NodeState.FAILED : NodeState.PENDING;
            case STARTED -> r.failure != null ? NodeState.PENDING : NodeState.STARTED;
            case HEALTHY -> NodeState.HEALTHY;
            case UNHEALTHY -> NodeState.UNHEALTHY;
            case COMPLETED -> NodeState.COMPLETED;
            case FAILED -> NodeState.FAILED;
            case SKIPPED -> NodeState.SKIPPED;
            case STOPPED -> NodeState.STOPPED;
            case REMOVED -> NodeState.REMOVED;
        };
        return new NodeTimeline(r.node.name(), r.node.kind(), state, flow.opt(r.requested), flow.opt(r.started), flow.opt(r.ready),
                flow.opt(r.finished), r.exitCode, Optional.ofNullable(r.failure), r.reused,
                Optional.ofNullable(r.latency).filter(l -> !l.isZero()), Optional.ofNullable(r.gatedBy), r.restarts,
                flow.session.backend.placement(flow.session.deployment, r.node.name()));
    }
}
