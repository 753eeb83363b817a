package dev.ordo.run;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Edge;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.run.NodeRecord.Arc;
import dev.ordo.run.NodeRecord.Phase;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.RestartBackoff;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataflow engine of one {@code up}: starts each node the moment its conditions hold and its pool has a slot,
 * feeds the backend's facts to each node's {@link NodeLife} (where the lifecycle rules live), propagates failures
 * under the failure policy, and ends when no node's verdict is open. Single-threaded: backends post facts into an
 * {@link Inbox}; only this thread reads or writes run state.
 */
final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** Options of a run, set through {@code Orchestrator}. */
    record Options(RunListener listener, FailurePolicy failurePolicy, Duration timeout, boolean rerunJobs) {
    }

    private final Backend backend;
    private final TimeSource time;
    private final Options options;
    private final RestartBackoff backoff;
    private final Inbox inbox = new Inbox();
    final Timers timers = new Timers();
    private final Map<String, NodeLife> lives = new LinkedHashMap<>();
    private final Set<NodeRecord> flying = new HashSet<>();
    private final Pools pools = new Pools(this);
    private Deployment deployment;
    private Instant t0;
    private boolean stopScheduling;
    private String firstFailure;
    private Fact.Unreachable lost;

    Engine(Backend backend, Options options) {
        this.backend = backend;
        this.time = backend.time();
        this.options = options;
        this.backoff = backend.restartBackoff();
    }

    Instant now() {
        return time.now();
    }

    Duration timeout() {
        return options.timeout();
    }

    RestartBackoff backoff() {
        return backoff;
    }

    Deployment deployment() {
        return deployment;
    }

    // ---------------------------------------------------------------------------------------------------- up

    RunReport up(Plan plan) {
        deployment = plan.deployment();
        t0 = time.now();
        for (Node n : plan.nodes()) {
            lives.put(n.name(), new NodeLife(n, this));
        }
        for (Edge e : plan.edges()) {
            NodeLife from = lives.get(e.dependency());
            NodeLife to = lives.get(e.dependent());
            Arc arc = new Arc(from, to, e.condition(), e.restart());
            from.out.add(arc);
            to.in.add(arc);
            to.pending++;
        }
        prioritise(plan);
        pools.define(deployment.pools().values());

        backend.prepare(deployment);
        Map<String, ObservedNode> observed = new HashMap<>();
        backend.observe(deployment).forEach(o -> observed.put(o.node(), o));
        Teardown orphans = removeOrphans(observed);
        List<NodeLife> keptJobs = Reconcile.decide(lives.values(), observed, options.rerunJobs());
        for (NodeLife r : keptJobs) {
            emit(RunEvent.Type.KEPT, r, "completed in an earlier run with the same configuration");
            reached(r);
        }
        for (NodeLife r : lives.values()) {
            if (r.phase == Phase.WAITING && r.pending == 0) {
                schedule(r);
            }
        }
        for (Job j : plan.scheduledJobs()) {
            // A scheduled job is registered with the platform (e.g. a CronJob); nothing waits for it.
            backend.start(Launch.create(deployment, j), fact -> { });
        }
        boolean tornDown = loop();
        backend.detach(deployment);
        if (!tornDown) {
            RunEnding.settleLeftovers(this, lives.values(), pools);
        }
        List<NodeTimeline> rows = new ArrayList<>();
        lives.values().forEach(r -> rows.add(r.timeline(this)));
        rows.addAll(orphans.rows(Node.Kind.SERVICE));
        return new RunReport(deployment.name(), RunReport.Operation.UP, backend.name(), t0,
                Duration.between(t0, time.now()), rows, Optional.ofNullable(lost).map(u -> outage(u, "up")));
    }

    /** The longest chain of nodes waiting on each node, computed once, from the last node of the start order back. */
    private void prioritise(Plan plan) {
        List<Node> order = plan.nodes();
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeLife r = lives.get(order.get(i).name());
            for (Arc a : r.out) {
                r.priority = Math.max(r.priority, a.to.priority + 1);
            }
        }
    }

    private Teardown removeOrphans(Map<String, ObservedNode> observed) {
        List<String> orphans = observed.keySet().stream().filter(n -> deployment.node(n).isEmpty()).sorted().toList();
        Teardown t = new Teardown(this, backend, inbox, time, deployment);
        t.run(orphans, true);
        return t;
    }

    /** Runs until no node's verdict is open; true when the failure policy tore the run down. */
    private boolean loop() {
        while (true) {
            if (lost != null) {
                return true;
            }
            if (stopScheduling && options.failurePolicy() == FailurePolicy.TEAR_DOWN) {
                RunEnding.tearDown(this, backend, inbox, time, lives.values(), firstFailure).ifPresent(u -> lost = u);
                return true;
            }
            if (flying.isEmpty() && inbox.isEmpty()) {
                return false;
            }
            try {
                time.await(inbox, timers.next());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("up of '" + deployment.name() + "' was interrupted; nodes already started"
                        + " keep running: run down to remove them");
            }
            for (Fact f = inbox.poll(); f != null && lost == null; f = inbox.poll()) {
                dispatch(f);
            }
            timers.fireDue(time.now(), owner -> {
                if (owner instanceof NodeLife r) {
                    track(r);
                }
            });
        }
    }

    private void dispatch(Fact f) {
        if (f instanceof Fact.Unreachable u) {
            lost = u;
            RunEnding.interrupt(this, lives.values(), u);
            flying.clear();
            return;
        }
        NodeLife r = lives.get(node(f));
        if (r != null) {
            r.on(f);
            track(r);
        }
    }

    static String node(Fact f) {
        if (f instanceof Fact.Started s) {
            return s.node();
        } else if (f instanceof Fact.Probed p) {
            return p.node();
        } else if (f instanceof Fact.Exited x) {
            return x.node();
        } else if (f instanceof Fact.Output o) {
            return o.node();
        } else if (f instanceof Fact.Refused r) {
            return r.node();
        } else if (f instanceof Fact.Stopped s) {
            return s.node();
        }
        return "";
    }

    void track(NodeRecord r) {
        if (r.inFlight()) {
            flying.add(r);
        } else {
            flying.remove(r);
        }
    }

    /** Starts the backend on {@code launch}; a backend that throws refuses the node. */
    void start(NodeRecord r, Launch launch) {
        try {
            backend.start(launch, inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to start {}", backend.name(), r.node.name(), e);
            inbox.refused(r.node.name(), e.getMessage());
        }
    }

    /** Kills the node at once (its job deadline passed); the backend reports it stopped. */
    void kill(NodeRecord r) {
        emit(RunEvent.Type.STOPPING, r, "active deadline passed: killing it");
        try {
            backend.stop(deployment, r.node.name(), StopMode.keep(Duration.ZERO), inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to kill {}", backend.name(), r.node.name(), e);
            inbox.stopped(r.node.name());
        }
    }

    /** {@code r} now satisfies some conditions: count them for its dependents and schedule those now free. */
    void reached(NodeRecord r) {
        for (Arc a : r.out) {
            if (!a.counted && holds(a.condition, r)) {
                a.counted = true;
                a.to.pending--;
                a.to.gatedBy = r.node.name();
                if (a.to.pending == 0 && a.to.phase == Phase.WAITING) {
                    schedule(a.to);
                }
            }
        }
        track(r);
    }

    private static boolean holds(Condition c, NodeRecord r) {
        return switch (c) {
            case STARTED -> r.phase == Phase.STARTED || r.phase == Phase.HEALTHY || r.phase == Phase.UNHEALTHY
                    || r.phase == Phase.COMPLETED;
            case HEALTHY -> r.phase == Phase.HEALTHY;
            case COMPLETED_SUCCESSFULLY -> r.phase == Phase.COMPLETED;
        };
    }

    void schedule(NodeLife r) {
        if (!stopScheduling) {
            pools.admit(r);
        }
    }

    void launch(NodeLife r) {
        r.launch();
        track(r);
    }

    void releaseSlot(NodeRecord r) {
        pools.release(r, stopScheduling);
    }

    /** Core's verdict: {@code r} failed. Its waiting dependents never start; the failure policy applies. */
    void failed(NodeRecord r, Failure failure) {
        r.failure = failure;
        r.phase = Phase.FAILED;
        track(r);
        emit(RunEvent.Type.FAILED, r, failure.message());
        releaseSlot(r);
        propagate(r, r.node.name());
        if (firstFailure == null) {
            firstFailure = r.node.name();
        }
        if (options.failurePolicy() != FailurePolicy.CONTINUE && !stopScheduling) {
            stopScheduling = true;
            for (NodeLife w : lives.values()) {
                if (w.phase == Phase.WAITING || w.phase == Phase.POOL_WAIT) {
                    skip(w, Failure.because(Failure.Reason.NOT_SCHEDULED, w.what() + " was not started: the run"
                            + " stopped scheduling after '" + firstFailure + "' failed (failure policy "
                            + options.failurePolicy() + "; FailurePolicy.CONTINUE starts independent nodes anyway)",
                            firstFailure));
                }
            }
        }
    }

    void skip(NodeLife r, Failure failure) {
        if (r.phase != Phase.WAITING && r.phase != Phase.POOL_WAIT) {
            return;
        }
        pools.forget(r);
        r.phase = Phase.SKIPPED;
        r.failure = failure;
        emit(RunEvent.Type.SKIPPED, r, failure.message());
        propagate(r, failure.cause().orElse(r.node.name()));
    }

    /** Every dependent still waiting on a condition that can no longer hold will never start (iteratively). */
    private void propagate(NodeRecord failed, String root) {
        ArrayDeque<NodeRecord> work = new ArrayDeque<>();
        work.add(failed);
        while (!work.isEmpty()) {
            NodeRecord f = work.poll();
            for (Arc a : f.out) {
                NodeLife d = a.to;
                if (a.counted || d.phase != Phase.WAITING && d.phase != Phase.POOL_WAIT) {
                    continue;
                }
                String why = f.node.name().equals(root) ? "'" + root + "' failed"
                        : "'" + f.node.name() + "' did not start because '" + root + "' failed";
                pools.forget(d);
                d.phase = Phase.SKIPPED;
                d.failure = Failure.because(Failure.Reason.DEPENDENCY_FAILED, d.what() + " never started: it waits"
                        + " for '" + f.node.name() + "' to be " + a.condition + ", and " + why, root);
                emit(RunEvent.Type.SKIPPED, d, d.failure.message());
                work.add(d);
            }
        }
    }

    Failure outage(Fact.Unreachable u, String operation) {
        return Failure.of(Failure.Reason.PLATFORM_UNREACHABLE, operation + " of '" + deployment.name() + "' stopped: "
                + u.platform() + " does not answer" + (u.detail().isBlank() ? "" : " (" + u.detail() + ")")
                + "; no node is at fault" + (u.fix().isBlank() ? "" : "; " + u.fix())
                + "; the next up converges from whatever is left");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Optional<Duration> opt(Instant i) {
        return Optional.ofNullable(i).map(this::offset);
    }

    Duration offset(Instant i) {
        return Duration.between(t0 == null ? i : t0, i);
    }

    void emit(RunEvent.Type type, NodeRecord r, String detail) {
        emitFor(type, r.node.name(), detail);
    }

    void emitFor(RunEvent.Type type, String node, String detail) {
        try {
            options.listener().onEvent(new RunEvent(type, node, offset(time.now()), detail));
        } catch (RuntimeException e) {
            // A listener's bug must not leave containers half-started.
            LOG.warn("run listener threw on {} {}; ignoring it", type, node, e);
        }
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------------------- down/stop

    RunReport down(Deployment d, boolean removeVolumes) {
        return halt(d, true, removeVolumes);
    }

    RunReport stop(Deployment d) {
        return halt(d, false, false);
    }

    private RunReport halt(Deployment d, boolean remove, boolean removeVolumes) {
        deployment = d;
        t0 = time.now();
        List<ObservedNode> observed = backend.observe(d);
        List<String> names = observed.stream().filter(o -> remove || o.isRunning()).map(ObservedNode::node).toList();
        Teardown t = new Teardown(this, backend, inbox, time, d);
        t.run(names, remove);
        if (remove && t.lost().isEmpty()) {
            backend.release(d, removeVolumes);
        }
        return new RunReport(d.name(), remove ? RunReport.Operation.DOWN : RunReport.Operation.STOP, backend.name(),
                t0, Duration.between(t0, time.now()), t.rows(null), t.lost().map(u -> outage(u, remove ? "down" : "stop")));
    }
}
