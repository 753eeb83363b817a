package dev.ordo.dataflow;

import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Edge;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import dev.ordo.run.Dataflow;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.Placements;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations that bring a deployment up and down on a {@link Session}: {@code up} as one {@link Flow} over the
 * plan (after keep-or-recreate and the removal of nodes no longer defined), {@code down} and {@code stop} as a
 * {@link Teardown}. A one-shot operation makes its own session; a living deployment keeps one across operations.
 */
final class Operations {
    private final Session session;
    private final Dataflow.Options options;
    /** The flow of the last up or restart: a living deployment keeps following its nodes. */
    Flow lastUp;

    Operations(Backend backend, Dataflow.Options options) {
        this(new Session(backend, options.listener(), options.timeout()), options);
    }

    Operations(Session session, Dataflow.Options options) {
        this.session = session;
        this.options = options;
    }

    Session session() {
        return session;
    }

    /**
     * Brings {@code plan} up and waits until no node's verdict is open.
     *
     * @param detach whether the backend stops following the nodes afterwards (a one-shot up); a living deployment
     *               keeps following them
     */
    RunReport up(Plan plan, boolean detach) {
        Backend backend = session.backend;
        Deployment deployment = plan.deployment();
        session.begin(deployment);
        Instant t0 = session.now();
        Flow flow = new Flow(session, options.failurePolicy(), Optional.empty(), false);
        lastUp = flow;
        plan.nodes().forEach(flow::add);
        for (Edge e : plan.edges()) {
            flow.connect(e.dependency(), e.dependent(), e.condition(), e.restart());
        }
        flow.prioritise(plan.nodes());
        session.pools.define(deployment.pools().values());

        backend.prepare(deployment);
        Map<String, ObservedNode> observed = new HashMap<>();
        backend.observe(deployment).forEach(o -> observed.put(o.node(), o));
        // A living deployment's runs in flight are its own, not orphans, though the deployment defines no such keys.
        List<String> orphans = observed.keySet().stream().filter(n -> deployment.node(n).isEmpty()
                && !session.follows(n)).sorted().toList();
        Teardown removal = new Teardown(session, deployment, t0);
        removal.run(orphans, true);
        for (NodeLife r : Reconcile.decide(flow.lives.values(), observed, options.rerunJobs())) {
            flow.emit(RunEvent.Type.KEPT, r, "completed in an earlier run with the same configuration");
            flow.reached(r);
        }
        flow.begin();
        boolean tornDown = false;
        session.endOnInterrupt(true);
        try {
            while (session.lost() == null) {
                if (session.interrupted()) {
                    flow.stopScheduling(INTERRUPTED);
                }
                if (flow.stoppedScheduling() && options.failurePolicy() == FailurePolicy.TEAR_DOWN) {
                    session.endOnInterrupt(false); // the teardown itself is not cut short
                    flow.unstageLeftovers();
                    RunEnding.tearDown(flow, flow.lives.values(), flow.firstFailure());
                    tornDown = true;
                    break;
                }
                if (session.interrupted() || flow.settled() && session.inbox.isEmpty()) {
                    break; // interrupted: what started keeps running, as the failure policy says
                }
                session.step(TimeSource.NEVER);
            }
        } finally {
            session.endOnInterrupt(false);
            flow.unstageLeftovers();
        }
        if (!tornDown && session.lost() != null && options.failurePolicy() == FailurePolicy.TEAR_DOWN
                && spansPlaces(plan)) {
            // One of several places (engines) was lost: what runs on the others is still torn down.
            String lostPlatform = session.lost().platform();
            session.despiteLoss(() -> RunEnding.tearDown(flow, flow.lives.values(), lostPlatform));
            tornDown = true;
        }
        if (detach) {
            backend.detach(deployment);
        }
        if (!tornDown && session.lost() == null) {
            RunEnding.settleLeftovers(flow, flow.lives.values());
        }
        List<NodeTimeline> rows = new ArrayList<>();
        flow.lives.values().forEach(r -> rows.add(ReportRows.of(r)));
        rows.addAll(removal.rows(Node.Kind.SERVICE));
        if (detach) {
            flow.close();
        }
        return new RunReport(deployment.name(), RunReport.Operation.UP, backend.name(), t0,
                Duration.between(t0, session.now()), rows,
                Optional.ofNullable(session.lost()).map(u -> session.outage(u, "up")).or(() -> interruption(deployment,
                        flow.stoppedScheduling() && options.failurePolicy() == FailurePolicy.TEAR_DOWN)),
                notes(plan, detach));
    }

    /** What an interrupted up's nodes are told they were not started for. */
    static final String INTERRUPTED = "SIGTERM/Ctrl-C";

    private Optional<Failure> interruption(Deployment deployment, boolean tornDown) {
        if (!session.interrupted()) {
            return Optional.empty();
        }
        return Optional.of(Failure.of(Failure.Reason.NOT_SCHEDULED, "the up of '" + deployment.name() + "' was"
                + " interrupted (SIGTERM or Ctrl-C)" + (tornDown ? " and removed what it had started (TEAR_DOWN)"
                : "; what it started keeps running: run up again to converge, or down to remove it")));
    }

    /** Whether the backend runs this plan's nodes in several places (engines). */
    private boolean spansPlaces(Plan plan) {
        return plan.nodes().stream().map(n -> Placements.of(session.backend, plan.deployment(), n.name()))
                .flatMap(Optional::stream).distinct().count() > 1;
    }

    /** What a reader of the report must know that no node's row says: triggers a one-shot up does not fire. */
    private static List<String> notes(Plan plan, boolean oneShot) {
        List<String> notes = new ArrayList<>();
        if (oneShot) {
            for (Trigger t : plan.triggers()) {
                if (t.kind() != Trigger.Kind.MANUAL || t.atStart()) {
                    notes.add("trigger '" + t.name() + "' (" + t.describe() + ", runs '" + t.target() + "') does not"
                            + " fire: a one-shot up only brings the deployment up; use Orchestrator.start(plan) (a"
                            + " living deployment) or the runner's supervise to run triggers");
                }
            }
        }
        return notes;
    }

    /**
     * Restarts {@code nodes} of {@code plan} (a node and its restart(true) dependents): stopped in reverse order,
     * started in order, as one flow that a living deployment then follows.
     */
    RunReport restart(Plan plan, List<String> nodes) {
        Instant t0 = session.now();
        new Teardown(session, plan.deployment(), t0).run(nodes, true);
        Flow flow = new Flow(session, options.failurePolicy(), Optional.empty(), false);
        lastUp = flow;
        List<Node> order = plan.nodes().stream().filter(n -> nodes.contains(n.name())).toList();
        order.forEach(flow::add);
        for (Node n : order) {
            for (Dependency d : n.dependencies()) {
                if (nodes.contains(d.target())) {
                    flow.connect(d.target(), n.name(), d.condition(), d.restart());
                }
            }
        }
        flow.prioritise(order);
        flow.begin();
        session.runUntil(() -> flow.settled() && session.inbox.isEmpty());
        List<NodeTimeline> rows = new ArrayList<>();
        flow.lives.values().forEach(l -> rows.add(ReportRows.of(l)));
        return new RunReport(plan.deployment().name(), RunReport.Operation.RESTART, session.backend.name(), t0,
                Duration.between(t0, session.now()), rows,
                Optional.ofNullable(session.lost()).map(u -> session.outage(u, "restart")), List.of());
    }

    RunReport down(Deployment d, DownOptions options) {
        return halt(d, true, options);
    }

    RunReport stop(Deployment d) {
        return halt(d, false, DownOptions.defaults());
    }

    private RunReport halt(Deployment d, boolean remove, DownOptions options) {
        Backend backend = session.backend;
        session.begin(d);
        Instant t0 = session.now();
        List<ObservedNode> observed = backend.observe(d);
        List<String> names = observed.stream().filter(o -> remove || o.isRunning()).map(ObservedNode::node).toList();
        Teardown t = new Teardown(session, d, t0);
        options.gracePeriod().ifPresent(t::gracePeriod);
        t.run(names, remove);
        if (remove && t.lost().isEmpty()) {
            backend.release(d, options.removeVolumes());
        }
        return new RunReport(d.name(), remove ? RunReport.Operation.DOWN : RunReport.Operation.STOP, backend.name(),
                t0, Duration.between(t0, session.now()), t.rows(null),
                t.lost().map(u -> session.outage(u, remove ? "down" : "stop")), List.of());
    }
}
