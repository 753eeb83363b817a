package dev.ordo.run;

import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Fact;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops nodes so that none stops before every node that depends on it (per the deployment's definitions) has
 * stopped; independent nodes stop in parallel. A node that does not stop within its grace period plus
 * {@link #STOP_MARGIN} is reported, and teardown moves on. Used by {@code down}, {@code stop}, the removal of nodes
 * a deployment no longer defines, and the {@code TEAR_DOWN} failure policy.
 */
final class Teardown {
    /** How much longer than a node's grace period a stop may take before it is reported as failed. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

    private final Engine engine;
    private final Backend backend;
    private final Inbox inbox;
    private final TimeSource time;
    private final Deployment deployment;
    private final Map<String, Instant> stoppedAt = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private boolean removing;
    private Fact.Unreachable lost;

    Teardown(Engine engine, Backend backend, Inbox inbox, TimeSource time, Deployment deployment) {
        this.engine = engine;
        this.backend = backend;
        this.inbox = inbox;
        this.time = time;
        this.deployment = deployment;
    }

    /** Stops (and with {@code remove}, removes) {@code nodes} in reverse dependency order. */
    void run(Collection<String> nodes, boolean remove) {
        names.addAll(nodes);
        removing = remove;
        Map<String, Integer> dependents = new HashMap<>();
        Map<String, List<String>> dependencies = new HashMap<>();
        nodes.forEach(n -> dependents.put(n, 0));
        for (String n : nodes) {
            List<String> deps = deployment.node(n).map(Node::dependencies).orElse(List.of()).stream()
                    .map(Dependency::target).filter(dependents::containsKey).distinct().toList();
            dependencies.put(n, deps);
            deps.forEach(t -> dependents.merge(t, 1, Integer::sum));
        }
        Map<String, Instant> deadlines = new HashMap<>();
        for (String n : nodes) {
            if (dependents.get(n) == 0) {
                requestStop(n, deadlines);
            }
        }
        while (!deadlines.isEmpty() && lost == null) {
            Instant next = deadlines.values().stream().min(Instant::compareTo).orElse(Timers.FAR);
            try {
                time.await(inbox, next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("teardown of '" + deployment.name() + "' was interrupted; run down again");
            }
            List<String> done = new ArrayList<>();
            for (Fact f = inbox.poll(); f != null; f = inbox.poll()) {
                String n = Engine.node(f);
                if (f instanceof Fact.Unreachable u) {
                    lost = u;
                } else if (f instanceof Fact.Stopped && deadlines.containsKey(n) && !done.contains(n)) {
                    done.add(n);
                } else if (f instanceof Fact.Refused r && deadlines.containsKey(n) && !done.contains(n)) {
                    failures.put(n, Failure.of(Failure.Reason.STOP_FAILED, "node '" + n + "' could not be stopped: "
                            + r.reason()));
                    done.add(n);
                }
            }
            Instant now = time.now();
            deadlines.forEach((n, d) -> {
                if (!now.isBefore(d) && !done.contains(n)) {
                    failures.put(n, Failure.of(Failure.Reason.STOP_FAILED, "node '" + n + "' did not stop within its"
                            + " grace period plus " + Engine.human(STOP_MARGIN) + "; it may still be running: check it"
                            + " and run down again"));
                    done.add(n);
                }
            });
            for (String n : done) {
                deadlines.remove(n);
                stoppedAt.put(n, now);
                engine.emitFor(RunEvent.Type.STOPPED, n, remove ? "removed" : "stopped");
                for (String t : dependencies.get(n)) {
                    if (dependents.merge(t, -1, Integer::sum) == 0) {
                        requestStop(t, deadlines);
                    }
                }
            }
        }
    }

    private void requestStop(String n, Map<String, Instant> deadlines) {
        Duration grace = deployment.node(n).map(x -> x.container().stopGracePeriod())
                .orElse(Container.DEFAULT_STOP_GRACE_PERIOD);
        deadlines.put(n, time.now().plus(grace).plus(STOP_MARGIN));
        engine.emitFor(RunEvent.Type.STOPPING, n, "");
        try {
            backend.stop(deployment, n, removing ? StopMode.remove(grace) : StopMode.keep(grace), inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to stop {}", backend.name(), n, e);
            inbox.refused(n, e.getMessage());
        }
    }

    Optional<Instant> stoppedAt(String node) {
        return Optional.ofNullable(stoppedAt.get(node));
    }

    Optional<Failure> failure(String node) {
        return Optional.ofNullable(failures.get(node));
    }

    /** The platform stopped answering during the teardown, if it did. */
    Optional<Fact.Unreachable> lost() {
        return Optional.ofNullable(lost);
    }

    /**
     * One report row per node, in the order they stopped.
     *
     * @param kind the kind for every row, or null to take it from the deployment (a node it no longer defines is
     *             shown as a service)
     */
    List<NodeTimeline> rows(Node.Kind kind) {
        List<String> ordered = new ArrayList<>(names);
        ordered.sort(Comparator.comparing(n -> stoppedAt.getOrDefault(n, Timers.FAR)));
        List<NodeTimeline> rows = new ArrayList<>();
        for (String n : ordered) {
            Node.Kind k = kind != null ? kind : deployment.node(n).map(Node::kind).orElse(Node.Kind.SERVICE);
            NodeState state = failures.containsKey(n) ? NodeState.FAILED
                    : !stoppedAt.containsKey(n) ? NodeState.PENDING : removing ? NodeState.REMOVED : NodeState.STOPPED;
            rows.add(new NodeTimeline(n, k, state, Optional.empty(), Optional.empty(), Optional.empty(),
                    engine.opt(stoppedAt.get(n)), OptionalInt.empty(), Optional.ofNullable(failures.get(n)), false,
                    Optional.empty(), Optional.empty(), 0));
        }
        return rows;
    }
}
