package dev.ordo.dataflow;

import dev.ordo.Deployment;
import dev.ordo.dataflow.Flow.Arc;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Fact;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How an {@code up} ends when not every node became ready: what still waits is ruled out with the reason, the
 * {@code TEAR_DOWN} policy removes what the run started, and a platform that stopped answering interrupts every open
 * verdict without blaming a node.
 */
final class RunEnding {
    private RunEnding() {
    }

    /** After the loop: whatever still waits can never start; say what it waited for. */
    static void settleLeftovers(Flow flow, Collection<NodeLife> lives) {
        for (NodeLife r : lives) {
            if (r.phase == Phase.POOL_WAIT) {
                flow.skip(r, flow.session.pools.blocked(r, lives));
            } else if (r.phase == Phase.WAITING) {
                StringBuilder waits = new StringBuilder();
                for (Arc a : r.wait.in) {
                    if (!a.counted()) {
                        waits.append(waits.length() == 0 ? "" : ", ").append("'").append(a.from.node.name())
                                .append("' to be ").append(a.condition).append(" (it is ").append(a.from.phase)
                                .append(")");
                    }
                }
                flow.skip(r, Failure.of(Failure.Reason.DEPENDENCY_FAILED, r.what() + " never started: it waited for "
                        + waits));
            }
        }
    }

    /**
     * The TEAR_DOWN policy after a failure: whatever waits is ruled out, and what this run started is removed in
     * reverse dependency order, then the deployment's network once nothing is left.
     *
     * @return the platform's loss, when it stopped answering during the teardown
     */
    static Optional<Fact.Unreachable> tearDown(Flow flow, Collection<NodeLife> lives, String firstFailure) {
        Backend backend = flow.session.backend;
        Deployment deployment = flow.deployment();
        Map<String, NodeLife> byName = new HashMap<>();
        lives.forEach(l -> byName.put(l.node.name(), l));
        List<String> ours = lives.stream().filter(r -> r.launchedByRun && !r.reused)
                .map(r -> r.node.name()).toList();
        for (NodeLife r : lives) {
            if (r.phase.waiting()) {
                flow.skip(r, Failure.because(Failure.Reason.NOT_SCHEDULED, r.what() + " was not started: the run tore"
                        + " down after '" + firstFailure + "' failed", firstFailure));
            }
        }
        Teardown t = new Teardown(flow.session, deployment, flow.t0);
        t.run(ours, true);
        for (String n : ours) {
            NodeLife r = byName.get(n);
            r.removedByTeardown(t.stoppedAt(n), t.failure(n), Failure.because(Failure.Reason.NOT_SCHEDULED,
                    r.what() + " was removed: the run tore down after '" + firstFailure + "' failed", firstFailure));
        }
        if (t.lost().isEmpty() && backend.observe(deployment).isEmpty()) {
            backend.release(deployment, false);
        }
        return t.lost();
    }

    /** The platform stopped answering: every open verdict is interrupted, and no node is blamed. */
    static void interrupt(Flow flow, Collection<NodeLife> lives, Fact.Unreachable u) {
        for (NodeLife r : lives) {
            if (r.inFlight() || r.phase.waiting()) {
                r.interrupted(Failure.of(Failure.Reason.PLATFORM_UNREACHABLE, r.what() + " was interrupted: "
                        + u.platform() + " stopped answering"));
                flow.emit(RunEvent.Type.SKIPPED, r, r.failure.message());
            }
        }
    }
}
