package dev.ordo.dataflow;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import dev.ordo.spi.Placements;
import dev.ordo.spi.RestartBackoff;
import dev.ordo.spi.StopMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One dataflow over a DAG of nodes on a {@link Session}: an {@code up}, or one triggered run of a pipeline. It starts
 * each node the moment its conditions hold and its pool has a slot, propagates failures under its failure policy,
 * and is settled when no node's verdict is open.
 */
final class Flow {
    /** A dependency edge at run time; counted once its condition has held. */
    static final class Arc {
        final NodeLife from;
        final NodeLife to;
        final Condition condition;
        final boolean restart;
        private boolean counted;

        Arc(NodeLife from, NodeLife to, Condition condition, boolean restart) {
            this.from = from;
            this.to = to;
            this.condition = condition;
            this.restart = restart;
        }

        /** Whether its condition has held, so that its dependent no longer waits on it. */
        boolean counted() {
            return counted;
        }
    }

    final Session session;
    final FailurePolicy policy;
    final Optional<String> run;
    final Map<String, NodeLife> lives = new LinkedHashMap<>();
    final Instant t0;
    /** Whether a node whose pool is drained waits for a slot (a triggered run) instead of being ruled out (an up). */
    final boolean waitForDrainedPools;
    private final Set<NodeLife> flying = new HashSet<>();
    private boolean stopScheduling;
    private String firstFailure;
    private boolean interrupted;
    /** Told when the platform restarts a node of this flow by its restart policy (a living deployment's option). */
    private Consumer<NodeLife> onRestart = life -> { };

    Flow(Session session, FailurePolicy policy, Optional<String> run, boolean waitForDrainedPools) {
        this.session = session;
        this.policy = policy;
        this.run = run;
        this.waitForDrainedPools = waitForDrainedPools;
        this.t0 = session.now();
        session.addFlow(this);
    }

    /** Adds {@code node} to the flow (and its life to the session). */
    NodeLife add(Node node) {
        NodeLife life = new NodeLife(node, this);
        lives.put(node.name(), life);
        session.register(life);
        return life;
    }

    /** Adds the edge: {@code dependent} waits for {@code dependency} to meet {@code condition}. */
    void connect(String dependency, String dependent, Condition condition, boolean restart) {
        NodeLife from = lives.get(dependency);
        NodeLife to = lives.get(dependent);
        Arc arc = new Arc(from, to, condition, restart);
        from.wait.out.add(arc);
        to.wait.in.add(arc);
        to.wait.awaitDependency();
    }

    /** The longest chain of nodes waiting on each node, computed once, from the last node of the start order back. */
    void prioritise(List<Node> startOrder) {
        for (int i = startOrder.size() - 1; i >= 0; i--) {
            NodeLife r = lives.get(startOrder.get(i).name());
            for (Arc a : r.wait.out) {
                r.wait.atLeastPriority(a.to.wait.priority() + 1);
            }
        }
    }

    /** Schedules every node that waits for nothing. */
    void begin() {
        for (NodeLife r : lives.values()) {
            if (r.phase == Phase.WAITING && r.wait.dependenciesMet()) {
                schedule(r);
            }
        }
    }

    /** Whether no node's verdict is open (and, for a run, no step still waits for a slot). */
    boolean settled() {
        if (!flying.isEmpty()) {
            return false;
        }
        if (waitForDrainedPools && !stopScheduling && !interrupted) {
            for (NodeLife r : lives.values()) {
                if (r.phase == Phase.POOL_WAIT) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The flow's lives leave the session: its verdicts are final. */
    void close() {
        lives.values().forEach(session::forget);
        session.removeFlow(this);
    }

    Instant now() {
        return session.now();
    }

    Duration timeout() {
        return session.timeout;
    }

    RestartBackoff backoff() {
        return session.backoff;
    }

    Deployment deployment() {
        return session.deployment();
    }

    Timers timers() {
        return session.timers;
    }

    void track(NodeLife r) {
        if (r.inFlight()) {
            flying.add(r);
        } else {
            flying.remove(r);
        }
    }

    void start(NodeLife r, Launch launch) {
        session.start(r, launch);
    }

    /** Has the backend kill and start one replica again: its liveness check failed. */
    void restartReplica(NodeLife r, int replica, String why) {
        emit(RunEvent.Type.RESTARTING, r, (r.replicas.length > 1 ? "replica " + replica + ", " : "") + why);
        session.restart(r.key(), replica);
    }

    /** Kills the node at once (its job deadline passed); the backend reports it stopped. */
    void kill(NodeLife r) {
        emit(RunEvent.Type.STOPPING, r, "active deadline passed: killing it");
        session.stop(r.key(), StopMode.keep(Duration.ZERO));
    }

    /** {@code r} now satisfies some conditions: count them for its dependents and schedule those now free. */
    void reached(NodeLife r) {
        for (Arc a : r.wait.out) {
            if (!a.counted && r.phase.meets(a.condition)) {
                a.counted = true;
                if (a.to.wait.dependencyMet(r.node.name()) && a.to.phase == Phase.WAITING) {
                    schedule(a.to);
                }
            }
        }
        track(r);
    }

    void schedule(NodeLife r) {
        if (!stopScheduling) {
            session.pools.admit(r);
        }
    }

    void launch(NodeLife r) {
        r.launch();
        track(r);
    }

    /**
     * Core's staging rule: once every dependency of a waiting node has been asked to start, the backend may prepare
     * the node (create, never start) while those dependencies start, so that only its own start remains on the
     * critical path. Only nodes that will be created anew (not kept) are staged, and every staged node is either
     * started or {@linkplain #unstage unstaged}.
     */
    void stageDependents(NodeLife launched) {
        if (stopScheduling) {
            return;
        }
        for (Arc a : launched.wait.out) {
            NodeLife d = a.to;
            if (d.wait.staged() == null && !d.keep && d.phase.waiting()
                    && d.wait.in.stream().allMatch(in -> in.from.launchedByRun || in.from.phase == Phase.COMPLETED)) {
                Launch staged = new Launch(deployment(), d.node, Launch.Mode.CREATE, 1, d.wait.priority(),
                        Launch.probesOf(d.node), run);
                d.wait.stage(staged);
                session.stage(staged);
            }
        }
    }

    /** Core will not start {@code r}: the backend removes what it staged for it. */
    void unstage(NodeLife r) {
        Launch l = r.wait.takeStaged();
        if (l != null) {
            session.unstage(l);
        }
    }

    /** The flow ends: whatever was staged and never started is unstaged. */
    void unstageLeftovers() {
        lives.values().forEach(this::unstage);
    }

    void releaseSlot(NodeLife r) {
        session.pools.release(r);
    }

    /** Core's verdict: {@code r} failed. Its waiting dependents never start; the failure policy applies. */
    void failed(NodeLife r, Failure failure) {
        r.recordFailure(failure);
        track(r);
        emit(RunEvent.Type.FAILED, r, failure.message());
        releaseSlot(r);
        propagate(r, r.node.name());
        if (firstFailure == null) {
            firstFailure = r.node.name();
        }
        if (policy != FailurePolicy.CONTINUE && !stopScheduling) {
            stopScheduling = true;
            for (NodeLife w : lives.values()) {
                if (w.phase == Phase.WAITING || w.phase == Phase.POOL_WAIT) {
                    skip(w, Failure.because(Failure.Reason.NOT_SCHEDULED, w.what() + " was not started: the "
                            + (run.isPresent() ? "run" : "up") + " stopped scheduling after '" + firstFailure
                            + "' failed (failure policy " + policy
                            + "; FailurePolicy.CONTINUE starts independent nodes anyway)", firstFailure));
                }
            }
        }
    }

    void skip(NodeLife r, Failure failure) {
        if (r.phase != Phase.WAITING && r.phase != Phase.POOL_WAIT) {
            return;
        }
        session.pools.forget(r);
        r.skip(failure);
        unstage(r);
        emit(RunEvent.Type.SKIPPED, r, failure.message());
        propagate(r, failure.cause().orElse(r.node.name()));
    }

    /** Every dependent still waiting on a condition that can no longer hold will never start (iteratively). */
    private void propagate(NodeLife failed, String root) {
        ArrayDeque<NodeLife> work = new ArrayDeque<>();
        work.add(failed);
        while (!work.isEmpty()) {
            NodeLife f = work.poll();
            for (Arc a : f.wait.out) {
                NodeLife d = a.to;
                if (a.counted || d.phase != Phase.WAITING && d.phase != Phase.POOL_WAIT) {
                    continue;
                }
                String why = f.node.name().equals(root) ? "'" + root + "' failed"
                        : "'" + f.node.name() + "' did not start because '" + root + "' failed";
                session.pools.forget(d);
                d.skip(Failure.because(Failure.Reason.DEPENDENCY_FAILED, d.what() + " never started: it waits"
                        + " for '" + f.node.name() + "' to be " + a.condition + ", and " + why, root));
                unstage(d);
                emit(RunEvent.Type.SKIPPED, d, d.failure.message());
                work.add(d);
            }
        }
    }

    /** The platform stopped answering: every open verdict of this flow is interrupted, and no node is blamed. */
    void interrupt(Fact.Unreachable u) {
        interrupted = true;
        RunEnding.interrupt(this, lives.values(), u);
        flying.clear();
    }

    /** Where the backend runs {@code node} (an engine, a cluster), when it runs it in several places. */
    Optional<String> placement(String node) {
        return Placements.of(session.backend, session.deployment(), node);
    }

    /** A living deployment's option: {@code hook} hears of each restart the platform makes by restart policy. */
    void onRestart(Consumer<NodeLife> hook) {
        onRestart = hook;
    }

    void restarted(NodeLife life) {
        onRestart.accept(life);
    }

    boolean stoppedScheduling() {
        return stopScheduling;
    }

    /** The name of the node whose failure stopped scheduling (or why it stopped), or null. */
    String firstFailure() {
        return firstFailure;
    }

    /** No node of this flow starts any more (a cancelled run). */
    void stopScheduling() {
        stopScheduling = true;
    }

    /** No node of this flow starts any more; {@code why} stands in for a failed node's name in what is skipped. */
    void stopScheduling(String why) {
        if (!stopScheduling) {
            stopScheduling = true;
            firstFailure = why;
        }
    }

    Optional<Duration> opt(Instant i) {
        return Optional.ofNullable(i).map(this::offset);
    }

    Duration offset(Instant i) {
        return Duration.between(t0, i);
    }

    void emit(RunEvent.Type type, NodeLife r, String detail) {
        session.emit(type, r.key(), detail);
    }

    static String human(Duration d) {
        return Session.human(d);
    }
}
