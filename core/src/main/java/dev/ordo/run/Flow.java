package dev.ordo.run;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.run.NodeRecord.Arc;
import dev.ordo.run.NodeRecord.Phase;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
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
    final Session session;
    final FailurePolicy policy;
    final Optional<String> run;
    final Map<String, NodeLife> lives = new LinkedHashMap<>();
    final Instant t0;
    /** Whether a node whose pool is drained waits for a slot (a triggered run) instead of being ruled out (an up). */
    final boolean waitForDrainedPools;
    private final Set<NodeRecord> flying = new HashSet<>();
    boolean stopScheduling;
    String firstFailure;
    boolean interrupted;
    /** Told when the platform restarts a node of this flow by its restart policy (a living deployment's option). */
    Consumer<NodeLife> onRestart;

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
        from.out.add(arc);
        to.in.add(arc);
        to.pending++;
    }

    /** The longest chain of nodes waiting on each node, computed once, from the last node of the start order back. */
    void prioritise(List<Node> startOrder) {
        for (int i = startOrder.size() - 1; i >= 0; i--) {
            NodeLife r = lives.get(startOrder.get(i).name());
            for (Arc a : r.out) {
                r.priority = Math.max(r.priority, a.to.priority + 1);
            }
        }
    }

    /** Schedules every node that waits for nothing. */
    void begin() {
        for (NodeLife r : lives.values()) {
            if (r.phase == Phase.WAITING && r.pending == 0) {
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
        return session.deployment;
    }

    Timers timers() {
        return session.timers;
    }

    void track(NodeRecord r) {
        if (r.inFlight()) {
            flying.add(r);
        } else {
            flying.remove(r);
        }
    }

    void start(NodeRecord r, Launch launch) {
        session.start(r, launch);
    }

    /** Has the backend kill and start one replica again: its liveness check failed. */
    void restartReplica(NodeRecord r, int replica, String why) {
        emit(RunEvent.Type.RESTARTING, r, (r.replicas.length > 1 ? "replica " + replica + ", " : "") + why);
        session.restart(r.key(), replica);
    }

    /** Kills the node at once (its job deadline passed); the backend reports it stopped. */
    void kill(NodeRecord r) {
        emit(RunEvent.Type.STOPPING, r, "active deadline passed: killing it");
        session.stop(r.key(), StopMode.keep(Duration.ZERO));
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

    static boolean holds(Condition c, NodeRecord r) {
        return switch (c) {
            case STARTED -> r.phase == Phase.STARTED || r.phase == Phase.HEALTHY || r.phase == Phase.UNHEALTHY
                    || r.phase == Phase.COMPLETED;
            case HEALTHY -> r.phase == Phase.HEALTHY;
            case COMPLETED_SUCCESSFULLY -> r.phase == Phase.COMPLETED;
        };
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
        for (Arc a : launched.out) {
            NodeLife d = a.to;
            if (d.staged == null && !d.keep && (d.phase == Phase.WAITING || d.phase == Phase.POOL_WAIT)
                    && d.in.stream().allMatch(in -> in.from.launchedByRun || in.from.phase == Phase.COMPLETED)) {
                d.staged = new Launch(deployment(), d.node, Launch.Mode.CREATE, 1, d.priority,
                        Launch.probesOf(d.node), run);
                session.stage(d.staged);
            }
        }
    }

    /** Core will not start {@code r}: the backend removes what it staged for it. */
    void unstage(NodeRecord r) {
        if (r.staged != null) {
            Launch l = r.staged;
            r.staged = null;
            session.unstage(l);
        }
    }

    /** The flow ends: whatever was staged and never started is unstaged. */
    void unstageLeftovers() {
        lives.values().forEach(this::unstage);
    }

    void releaseSlot(NodeRecord r) {
        session.pools.release(r);
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
        r.phase = Phase.SKIPPED;
        r.failure = failure;
        unstage(r);
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
                session.pools.forget(d);
                d.phase = Phase.SKIPPED;
                unstage(d);
                d.failure = Failure.because(Failure.Reason.DEPENDENCY_FAILED, d.what() + " never started: it waits"
                        + " for '" + f.node.name() + "' to be " + a.condition + ", and " + why, root);
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

    Optional<Duration> opt(Instant i) {
        return Optional.ofNullable(i).map(this::offset);
    }

    Duration offset(Instant i) {
        return Duration.between(t0, i);
    }

    void emit(RunEvent.Type type, NodeRecord r, String detail) {
        session.emit(type, r.key(), detail);
    }

    static String human(Duration d) {
        return Session.human(d);
    }
}
