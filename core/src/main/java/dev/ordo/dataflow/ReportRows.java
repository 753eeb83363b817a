package dev.ordo.dataflow;

import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import java.util.Optional;

/** A node's row of a run report: what the user reads of its life, as offsets from its flow's start. */
final class ReportRows {
    private ReportRows() {
    }

    static NodeTimeline of(NodeLife life) {
        NodeState state = switch (life.phase) {
            case WAITING, POOL_WAIT, STARTING -> life.failure != null && life.failure.reason()
                    != Failure.Reason.PLATFORM_UNREACHABLE ? NodeState.FAILED : NodeState.PENDING;
            case STARTED -> life.failure != null ? NodeState.PENDING : NodeState.STARTED;
            case HEALTHY -> NodeState.HEALTHY;
            case UNHEALTHY -> NodeState.UNHEALTHY;
            case COMPLETED -> NodeState.COMPLETED;
            case FAILED -> NodeState.FAILED;
            case SKIPPED -> NodeState.SKIPPED;
            case STOPPED -> NodeState.STOPPED;
            case REMOVED -> NodeState.REMOVED;
        };
        Flow flow = life.flow;
        return new NodeTimeline(life.node.name(), life.node.kind(), state, flow.opt(life.requested),
                flow.opt(life.started), flow.opt(life.ready), flow.opt(life.finished), life.exitCode,
                Optional.ofNullable(life.failure), life.reused,
                Optional.ofNullable(life.latency).filter(l -> !l.isZero()), life.wait.gatedBy(), life.restarts,
                flow.placement(life.node.name()));
    }
}
