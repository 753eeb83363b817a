package dev.ordo.dataflow;

import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Fact;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Stops nodes so that none stops before every node that depends on it (per the deployment's definitions, also
 * through nodes that are not being stopped, such as an exited job between a service and its database) has stopped; independent nodes stop in parallel. A node that does not stop within its grace period plus
 * {@link #STOP_MARGIN} is reported, and teardown moves on. Used by {@code down}, {@code stop}, the removal of nodes
 * a deployment no longer defines, the {@code TEAR_DOWN} failure policy, and a living deployment's redeploy and
 * restart. It runs on the session's loop, so facts of other nodes keep flowing meanwhile.
 */
final class Teardown {
    /** How much longer than a node's grace period a stop may take before it is reported as failed. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private final Session session;
    private final Deployment deployment;
    private final Instant t0;
    private final Map<String, Instant> stoppedAt = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Instant> deadlines = new HashMap<>();
    private final Map<String, Integer> dependents = new HashMap<>();
    private final Map<String, List<String>> dependencies = new HashMap<>();
    private boolean removing;
    /** Every node's grace period, instead of its own (a down's override), when set. */
    private Duration graceOverride;

    Teardown(Session session, Deployment deployment, Instant t0) {
        this.session = session;
        this.deployment = deployment;
        this.t0 = t0;
    }

    /** Gives every node {@code grace} between its stop signal and SIGKILL instead of its own grace period. */
    void gracePeriod(Duration grace) {
        this.graceOverride = grace;
    }

    /** Stops (and with {@code remove}, removes) {@code nodes} (names or run keys) in reverse dependency order. */
    void run(Collection<String> nodes, boolean remove) {
        names.addAll(nodes);
        removing = remove;
        nodes.forEach(n -> dependents.put(n, 0));
        Map<String, Set<String>> below = new HashMap<>();
        for (String n : nodes) {
            List<String> deps = List.copyOf(nearestStopped(n, below));
            dependencies.put(n, deps);
            deps.forEach(t -> dependents.merge(t, 1, Integer::sum));
        }
        for (String n : nodes) {
            if (dependents.get(n) == 0) {
                requestStop(n);
            }
        }
        while (!deadlines.isEmpty() && session.lost() == null) {
            Instant next = deadlines.values().stream().min(Instant::compareTo).orElse(TimeSource.NEVER);
            session.step(next);
            Instant now = session.now();
            for (Map.Entry<String, Instant> e : new ArrayList<>(deadlines.entrySet())) {
                if (!now.isBefore(e.getValue())) {
                    done(e.getKey(), Failure.of(Failure.Reason.STOP_FAILED, "node '" + e.getKey() + "' did not stop"
                            + " within its grace period plus " + Session.human(STOP_MARGIN) + "; it may still be"
                            + " running: check it and run down again"));
                }
            }
        }
        deadlines.keySet().forEach(session::stopAwaited);
    }

    /**
     * The nodes being stopped that {@code n} depends on, directly or through nodes that are not being stopped: a
     * scheduler reaches its database through the table-creating job, which has exited, and must still stop first.
     * {@code below} memoises the answer for the nodes passed through.
     */
    private Set<String> nearestStopped(String n, Map<String, Set<String>> below) {
        Set<String> found = new LinkedHashSet<>();
        for (Dependency dep : deployment.node(n).map(Node::dependencies).orElse(List.of())) {
            String t = dep.target();
            if (dependents.containsKey(t)) {
                found.add(t);
            } else if (!below.containsKey(t)) {
                below.put(t, Set.of()); // a cycle cannot pass validation; this only guards the walk
                below.put(t, nearestStopped(t, below));
                found.addAll(below.get(t));
            } else {
                found.addAll(below.get(t));
            }
        }
        return found;
    }

    private void requestStop(String n) {
        Duration grace = graceOverride != null ? graceOverride : deployment.node(nodeOf(n))
                .map(x -> x.container().stopGracePeriod()).orElse(Container.DEFAULT_STOP_GRACE_PERIOD);
        deadlines.put(n, session.now().plus(grace).plus(STOP_MARGIN));
        session.emit(RunEvent.Type.STOPPING, n, "");
        session.awaitStop(n, f -> done(n, f instanceof Fact.Refused r ? Failure.of(Failure.Reason.STOP_FAILED,
                "node '" + n + "' could not be stopped: " + r.reason()) : null));
        session.stop(n, removing ? StopMode.remove(grace) : StopMode.keep(grace));
    }

    private void done(String n, Failure failure) {
        if (deadlines.remove(n) == null) {
            return;
        }
        session.stopAwaited(n);
        if (failure != null) {
            failures.put(n, failure);
        }
        stoppedAt.put(n, session.now());
        session.emit(RunEvent.Type.STOPPED, n, removing ? "removed" : "stopped");
        for (String t : dependencies.get(n)) {
            if (dependents.merge(t, -1, Integer::sum) == 0) {
                requestStop(t);
            }
        }
    }

    /** The node a run key names ({@code loader@r7} names {@code loader}). */
    static String nodeOf(String key) {
        int at = key.indexOf('@');
        return at < 0 ? key : key.substring(0, at);
    }

    Optional<Instant> stoppedAt(String node) {
        return Optional.ofNullable(stoppedAt.get(node));
    }

    Optional<Failure> failure(String node) {
        return Optional.ofNullable(failures.get(node));
    }

    /** The platform stopped answering during the teardown, if it did. */
    Optional<Fact.Unreachable> lost() {
        return Optional.ofNullable(session.lost() != null ? session.lost() : session.tolerated);
    }

    /**
     * One report row per node, in the order they stopped.
     *
     * @param kind the kind for every row, or null to take it from the deployment (a node it no longer defines is
     *             shown as a service)
     */
    List<NodeTimeline> rows(Node.Kind kind) {
        List<String> ordered = new ArrayList<>(names);
        ordered.sort(Comparator.comparing(n -> stoppedAt.getOrDefault(n, TimeSource.NEVER)));
        List<NodeTimeline> rows = new ArrayList<>();
        for (String n : ordered) {
            Node.Kind k = kind != null ? kind : deployment.node(nodeOf(n)).map(Node::kind).orElse(Node.Kind.SERVICE);
            NodeState state = failures.containsKey(n) ? NodeState.FAILED
                    : !stoppedAt.containsKey(n) ? NodeState.PENDING : removing ? NodeState.REMOVED : NodeState.STOPPED;
            rows.add(new NodeTimeline(n, k, state, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.ofNullable(stoppedAt.get(n)).map(i -> Duration.between(t0, i)), OptionalInt.empty(),
                    Optional.ofNullable(failures.get(n)), false, Optional.empty(), Optional.empty(), 0));
        }
        return rows;
    }
}
