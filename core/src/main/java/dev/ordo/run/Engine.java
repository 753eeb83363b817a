package dev.ordo.run;

import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Pool;
import dev.ordo.Service;
import dev.ordo.Edge;
import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Launch;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataflow engine: starts each node the moment its conditions hold and its pool has a slot, propagates
 * failures, and tears down in reverse dependency order. Single-threaded: backends post events into an
 * {@link Inbox}; only this class reads or writes run state. One instance serves one operation.
 */
final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);
    private static final Instant FAR = Instant.parse("9999-01-01T00:00:00Z");

    /** Options of a run, set through {@code Orchestrator}. */
    public record Options(RunListener listener, FailurePolicy failurePolicy, Duration timeout, boolean rerunJobs) {
    }

    private enum Phase { WAITING, POOL_WAIT, STARTING, STARTED, HEALTHY, UNHEALTHY, COMPLETED, FAILED, SKIPPED,
        STOPPED, REMOVED }

    /** A dependency edge at run time; {@code counted} once its condition has held. */
    private static final class Arc {
        final Run from;
        final Run to;
        final Condition condition;
        final boolean restart;
        boolean counted;

        Arc(Run from, Run to, Condition condition, boolean restart) {
            this.from = from;
            this.to = to;
            this.condition = condition;
            this.restart = restart;
        }
    }

    /** One node's run-time state. */
    private static final class Run {
        final Node node;
        final List<Arc> in = new ArrayList<>(2);
        final List<Arc> out = new ArrayList<>(2);
        Phase phase = Phase.WAITING;
        int pending;
        Instant requested;
        Instant started;
        Instant ready;
        Instant finished;
        Instant deadline;
        OptionalInt exitCode = OptionalInt.empty();
        Failure failure;
        boolean reused;
        boolean recreate;
        boolean holdsSlot;
        boolean launchedByRun;
        Duration latency;
        String gatedBy;
        int restarts;
        /** Whether the node was ready after its last restart; only then does a further restart earn a new deadline. */
        boolean readySinceRestart;

        Run(Node node) {
            this.node = node;
        }

        boolean inFlight() {
            return phase == Phase.STARTING
                    || phase == Phase.STARTED && (node instanceof Job || node.hasHealthCheck() && ready == null);
        }

        String what() {
            return node.kind().label() + " '" + node.name() + "'";
        }
    }

    /** A pool's slots at run time. */
    private static final class Slots {
        final Pool pool;
        int used;
        final ArrayDeque<Run> queue = new ArrayDeque<>();

        Slots(Pool pool) {
            this.pool = pool;
        }
    }

    private final Backend backend;
    private final TimeSource time;
    private final Options options;
    private final Inbox inbox = new Inbox();
    private Instant t0;

    public Engine(Backend backend, Options options) {
        this.backend = backend;
        this.time = backend.time();
        this.options = options;
    }

    // ---------------------------------------------------------------------------------------------------- up

    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** Nodes started but not yet settled; the loop runs while any exist. */
    private final java.util.Set<Run> flying = new java.util.HashSet<>();
    /** Deadlines of flying nodes, earliest first; stale entries (node settled, deadline moved) are skipped. */
    private final java.util.PriorityQueue<Deadline> deadlines =
            new java.util.PriorityQueue<>(java.util.Comparator.comparing(Deadline::at));

    private record Deadline(Instant at, Run run) {
        boolean live(java.util.Set<Run> flying) {
            return flying.contains(run) && at.equals(run.deadline);
        }
    }
    private final Map<String, Slots> pools = new HashMap<>();
    private Deployment deployment;
    private boolean stopScheduling;
    private String firstFailure;

    public RunReport up(Plan plan) {
        deployment = plan.deployment();
        t0 = time.now();
        for (Node n : plan.nodes()) {
            runs.put(n.name(), new Run(n));
        }
        for (Edge e : plan.edges()) {
            Run from = runs.get(e.dependency());
            Run to = runs.get(e.dependent());
            Arc arc = new Arc(from, to, e.condition(), e.restart());
            from.out.add(arc);
            to.in.add(arc);
            to.pending++;
        }
        deployment.pools().values().forEach(p -> pools.put(p.name(), new Slots(p)));

        backend.prepare(deployment);
        Map<String, ObservedNode> observed = new HashMap<>();
        backend.observe(deployment).forEach(o -> observed.put(o.node(), o));
        List<NodeTimeline> orphans = removeOrphans(observed);
        markRecreates(observed);

        // Mark every kept job first: reaching COMPLETED schedules dependents at once, and a dependent job that is
        // itself kept must not be launched (re-run) before its own turn in this loop.
        List<Run> keptJobs = new ArrayList<>();
        for (Run r : runs.values()) {
            ObservedNode o = observed.get(r.node.name());
            if (r.node instanceof Job && !r.recreate && !options.rerunJobs() && o != null
                    && o.configHash().equals(r.node.configHash()) && o.state() == ObservedNode.State.EXITED
                    && o.exitCode().orElse(-1) == 0) {
                r.reused = true;
                r.exitCode = OptionalInt.of(0);
                r.phase = Phase.COMPLETED;
                keptJobs.add(r);
            }
        }
        for (Run r : keptJobs) {
            emit(RunEvent.Type.KEPT, r, "completed in an earlier run with the same configuration");
            reach(r, Phase.COMPLETED);
        }
        for (Run r : runs.values()) {
            if (r.phase == Phase.WAITING && r.pending == 0) {
                schedule(r);
            }
        }
        for (Job j : plan.scheduledJobs()) {
            // A scheduled job is registered with the platform (e.g. a CronJob); nothing waits for it.
            backend.start(new Launch(deployment, j, false), inbox);
        }
        boolean tornDown = loop();
        if (!tornDown) {
            settleLeftovers();
        }
        Instant end = time.now();
        List<NodeTimeline> rows = new ArrayList<>();
        runs.values().forEach(r -> rows.add(timeline(r)));
        rows.addAll(orphans);
        return new RunReport(deployment.name(), RunReport.Operation.UP, backend.name(), t0, Duration.between(t0, end),
                rows);
    }

    /** Nodes whose containers exist but that the deployment no longer defines are stopped and removed first. */
    private List<NodeTimeline> removeOrphans(Map<String, ObservedNode> observed) {
        List<String> orphans = observed.keySet().stream().filter(n -> deployment.node(n).isEmpty()).sorted().toList();
        if (orphans.isEmpty()) {
            return List.of();
        }
        Map<String, Instant> stoppedAt = new HashMap<>();
        Map<String, Failure> failures = new HashMap<>();
        teardown(orphans, true, stoppedAt, failures);
        List<NodeTimeline> rows = new ArrayList<>();
        for (String n : orphans) {
            rows.add(new NodeTimeline(n, Node.Kind.SERVICE, failures.containsKey(n) ? NodeState.FAILED
                    : NodeState.REMOVED, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.ofNullable(stoppedAt.get(n)).map(this::offset), OptionalInt.empty(),
                    Optional.ofNullable(failures.get(n)), false, Optional.empty(), Optional.empty(), 0));
        }
        return rows;
    }

    /** A node whose configuration changed is recreated; dependents that asked {@code restart(true)} follow it. */
    private void markRecreates(Map<String, ObservedNode> observed) {
        for (Run r : runs.values()) {
            ObservedNode o = observed.get(r.node.name());
            boolean changed = o != null && !o.configHash().equals(r.node.configHash());
            for (Arc a : r.in) {
                // only a node that exists can be recreated; one created now needs no restart for its dependencies
                if (o != null && a.restart && (a.from.recreate || changedOrRerun(a.from, observed))) {
                    r.recreate = true;
                }
            }
            if (changed && r.node instanceof Job) {
                r.recreate = true;
            }
        }
    }

    private boolean changedOrRerun(Run r, Map<String, ObservedNode> observed) {
        ObservedNode o = observed.get(r.node.name());
        return o == null || !o.configHash().equals(r.node.configHash()) || !o.isRunning() && r.node instanceof Service;
    }

    private boolean loop() {
        while (true) {
            if (stopScheduling && options.failurePolicy() == FailurePolicy.TEAR_DOWN) {
                tearDownAfterFailure();
                return true;
            }
            if (flying.isEmpty() && inbox.isEmpty()) {
                return false;
            }
            while (!deadlines.isEmpty() && !deadlines.peek().live(flying)) {
                deadlines.poll();
            }
            Instant next = deadlines.isEmpty() ? FAR : deadlines.peek().at();
            try {
                time.await(inbox, next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("up of '" + deployment.name() + "' was interrupted; nodes already started"
                        + " keep running: run down to remove them");
            }
            for (Inbox.Msg m = inbox.poll(); m != null; m = inbox.poll()) {
                handle(m);
            }
            Instant now = time.now();
            while (!deadlines.isEmpty() && !deadlines.peek().at().isAfter(now)) {
                Deadline d = deadlines.poll();
                if (d.live(flying)) {
                    timeout(d.run());
                }
            }
        }
    }

    private void handle(Inbox.Msg m) {
        Run r = runs.get(m.node());
        if (r == null) {
            return;
        }
        react(r, m);
        track(r);
    }

    private void track(Run r) {
        if (r.inFlight()) {
            if (flying.add(r)) {
                deadlines.add(new Deadline(r.deadline, r));
            }
        } else {
            flying.remove(r);
        }
    }

    private void react(Run r, Inbox.Msg m) {
        switch (m.kind()) {
            case LOG -> emit(RunEvent.Type.LOG, r, m.text());
            case STARTED -> {
                if (r.phase == Phase.STARTING) {
                    if (r.started == null) {
                        r.started = time.now();
                        r.reused = m.reused();
                    }
                    emit(m.reused() ? RunEvent.Type.KEPT : RunEvent.Type.STARTED, r, "");
                    if (r.node instanceof Service && !r.node.hasHealthCheck()) {
                        r.ready = r.started;
                    }
                    reach(r, Phase.STARTED);
                }
            }
            case HEALTHY -> {
                if (r.phase == Phase.STARTED || r.phase == Phase.UNHEALTHY || r.phase == Phase.STARTING) {
                    if (r.started == null) {
                        r.started = time.now();
                    }
                    if (r.ready == null) {
                        r.ready = time.now();
                        r.latency = m.latency();
                    }
                    emit(RunEvent.Type.HEALTHY, r, "");
                    reach(r, Phase.HEALTHY);
                }
            }
            case UNHEALTHY -> {
                if (r.phase == Phase.HEALTHY) {
                    emit(RunEvent.Type.UNHEALTHY, r, m.text());
                    r.phase = Phase.UNHEALTHY;
                    r.failure = new Failure(Failure.Reason.UNHEALTHY, r.what() + " was healthy, then failed its health"
                            + " check " + healthRetries(r) + " times in a row (last output: " + quote(m.text()) + ")",
                            OptionalInt.empty(), List.of(m.text()), Optional.empty());
                } else if (r.phase == Phase.STARTED || r.phase == Phase.STARTING) {
                    fail(r, new Failure(Failure.Reason.UNHEALTHY, r.what() + " failed its health check "
                            + healthRetries(r) + " times in a row after its start period (last output: "
                            + quote(m.text()) + "); check its logs, or give it a longer start period or more retries",
                            OptionalInt.empty(), List.of(m.text()), Optional.empty()));
                }
            }
            case EXITED -> exited(r, m.code(), m.tail());
            case FAILED -> {
                if (r.phase == Phase.STARTING || r.phase == Phase.STARTED || r.phase == Phase.HEALTHY) {
                    fail(r, Failure.of(Failure.Reason.START_FAILED, r.what() + " could not be run: " + m.text()));
                }
            }
            case STOPPED -> { }
            default -> throw new AssertionError(m.kind());
        }
    }

    private void exited(Run r, int code, List<String> tail) {
        if (r.phase != Phase.STARTING && r.phase != Phase.STARTED && r.phase != Phase.HEALTHY
                && r.phase != Phase.UNHEALTHY) {
            return;
        }
        r.exitCode = OptionalInt.of(code);
        if (r.node instanceof Job) {
            r.finished = time.now();
            if (r.started == null) {
                r.started = r.finished;
            }
            if (code == 0) {
                r.ready = r.finished;
                emit(RunEvent.Type.COMPLETED, r, "exit code 0");
                releaseSlot(r);
                reach(r, Phase.COMPLETED);
            } else {
                fail(r, new Failure(Failure.Reason.JOB_FAILED, r.what() + " exited with code " + code
                        + (tail.isEmpty() ? "" : "; last output: " + quote(tail.get(tail.size() - 1))),
                        OptionalInt.of(code), tail, Optional.empty()));
            }
            return;
        }
        Service s = (Service) r.node;
        boolean restarts = s.restartPolicy().restartsAfter(code);
        if (restarts) {
            r.restarts++;
            emit(RunEvent.Type.RESTARTING, r, "exit code " + code + ", restart policy " + s.restartPolicy());
            r.phase = Phase.STARTING;
            // A service that crash-loops before it is ever ready must not win a fresh deadline on every restart:
            // it keeps the one it had, so the run ends with a timeout instead of looping for ever.
            if (r.readySinceRestart) {
                r.deadline = time.now().plus(options.timeout());
                deadlines.add(new Deadline(r.deadline, r));
            }
            r.readySinceRestart = false;
            return;
        }
        r.finished = time.now();
        fail(r, new Failure(Failure.Reason.CRASHED, r.what() + " exited with code " + code + " and its restart policy"
                + " is " + s.restartPolicy() + (tail.isEmpty() ? "" : "; last output: " + quote(tail.get(tail.size() - 1))),
                OptionalInt.of(code), tail, Optional.empty()));
    }

    private void timeout(Run r) {
        String limit;
        if (r.node instanceof Job j && j.activeDeadline().isPresent()) {
            limit = "did not finish within its active deadline of " + human(j.activeDeadline().get());
        } else {
            limit = (r.node instanceof Job ? "did not finish" : r.node.hasHealthCheck() ? "was not healthy"
                    : "was not running") + " within " + human(options.timeout()) + " of being started; raise the"
                    + " limit with Orchestrator.timeout(...) or find out what it waits for in its logs";
        }
        fail(r, Failure.of(Failure.Reason.TIMEOUT, r.what() + " " + limit));
    }

    /** The node now satisfies some conditions: count them for its dependents and schedule those now free. */
    private void reach(Run r, Phase phase) {
        r.phase = phase;
        if (phase == Phase.HEALTHY || phase == Phase.STARTED && !r.node.hasHealthCheck()) {
            r.readySinceRestart = true;
        }
        for (Arc a : r.out) {
            if (!a.counted && holds(a.condition, phase)) {
                a.counted = true;
                a.to.pending--;
                a.to.gatedBy = r.node.name();
                if (a.to.pending == 0 && a.to.phase == Phase.WAITING) {
                    schedule(a.to);
                }
            }
        }
    }

    private static boolean holds(Condition c, Phase p) {
        return switch (c) {
            case STARTED -> p == Phase.STARTED || p == Phase.HEALTHY || p == Phase.UNHEALTHY || p == Phase.COMPLETED;
            case HEALTHY -> p == Phase.HEALTHY;
            case COMPLETED_SUCCESSFULLY -> p == Phase.COMPLETED;
        };
    }

    private void schedule(Run r) {
        if (stopScheduling) {
            return;
        }
        Optional<String> poolName = r.node.pool();
        if (poolName.isEmpty()) {
            launch(r);
            return;
        }
        Slots slots = pools.get(poolName.get());
        if (slots.pool.isDrained()) {
            skip(r, Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " is in pool '" + slots.pool.name()
                    + "', which is drained (0 slots): nothing of it starts until it is resized; give it slots with"
                    + " .pool(\"" + slots.pool.name() + "\", n)"));
            return;
        }
        if (slots.used < slots.pool.slots()) {
            slots.used++;
            r.holdsSlot = true;
            launch(r);
        } else {
            r.phase = Phase.POOL_WAIT;
            slots.queue.add(r);
            emit(RunEvent.Type.WAITING_FOR_POOL, r, "pool '" + slots.pool.name() + "' has all " + slots.pool.slots()
                    + " slots in use");
        }
    }

    private void launch(Run r) {
        r.phase = Phase.STARTING;
        r.requested = time.now();
        r.launchedByRun = true;
        Duration limit = r.node instanceof Job j ? j.activeDeadline().orElse(options.timeout()) : options.timeout();
        r.deadline = r.requested.plus(limit);
        track(r);
        emit(RunEvent.Type.STARTING, r, r.recreate ? "recreating" : "");
        try {
            backend.start(new Launch(deployment, r.node, r.recreate), inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to start {}", backend.name(), r.node.name(), e);
            fail(r, Failure.of(Failure.Reason.START_FAILED, r.what() + " could not be started: " + e.getMessage()));
        }
    }

    private void releaseSlot(Run r) {
        if (!r.holdsSlot) {
            return;
        }
        r.holdsSlot = false;
        Slots slots = pools.get(r.node.pool().orElseThrow());
        slots.used--;
        while (!stopScheduling && slots.used < slots.pool.slots() && !slots.queue.isEmpty()) {
            Run next = slots.queue.poll();
            if (next.phase == Phase.POOL_WAIT) {
                slots.used++;
                next.holdsSlot = true;
                launch(next);
            }
        }
    }

    private void fail(Run r, Failure failure) {
        r.failure = failure;
        if (r.finished == null) {
            r.finished = time.now();
        }
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
            for (Run w : runs.values()) {
                if (w.phase == Phase.WAITING || w.phase == Phase.POOL_WAIT) {
                    skip(w, Failure.because(Failure.Reason.NOT_SCHEDULED, w.what() + " was not started: the run"
                            + " stopped scheduling after '" + firstFailure + "' failed (failure policy "
                            + options.failurePolicy() + "; FailurePolicy.CONTINUE starts independent nodes anyway)",
                            firstFailure));
                }
            }
        }
    }

    private void skip(Run r, Failure failure) {
        if (r.phase != Phase.WAITING && r.phase != Phase.POOL_WAIT) {
            return;
        }
        if (r.phase == Phase.POOL_WAIT) {
            pools.get(r.node.pool().orElseThrow()).queue.remove(r);
        }
        r.phase = Phase.SKIPPED;
        r.failure = failure;
        emit(RunEvent.Type.SKIPPED, r, failure.message());
        propagate(r, failure.cause().orElse(r.node.name()));
    }

    /** Every dependent still waiting on a condition that can no longer hold will never start. */
    private void propagate(Run failed, String root) {
        for (Arc a : failed.out) {
            if (!a.counted) {
                Run d = a.to;
                String why = failed.node.name().equals(root) ? "'" + root + "' failed"
                        : "'" + failed.node.name() + "' did not start because '" + root + "' failed";
                skip(d, Failure.because(Failure.Reason.DEPENDENCY_FAILED, d.what() + " never started: it waits for '"
                        + failed.node.name() + "' to be " + a.condition + ", and " + why, root));
            }
        }
    }

    /** After the loop: whatever still waits can never start; say what it waited for. */
    private void settleLeftovers() {
        for (Run r : runs.values()) {
            if (r.phase == Phase.POOL_WAIT) {
                Slots s = pools.get(r.node.pool().orElseThrow());
                String holders = runs.values().stream().filter(x -> x.holdsSlot && s.pool.name().equals(
                        x.node.pool().orElse(""))).map(x -> x.node.name()).collect(Collectors.joining(", "));
                skip(r, Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " waited for a slot of pool '"
                        + s.pool.name() + "' (" + s.pool.slots() + " slots), but they stay held by long-running "
                        + holders + "; give the pool more slots or take services out of it"));
            } else if (r.phase == Phase.WAITING) {
                String waits = r.in.stream().filter(a -> !a.counted).map(a -> "'" + a.from.node.name() + "' to be "
                        + a.condition + " (it is " + a.from.phase + ")").collect(Collectors.joining(", "));
                skip(r, Failure.of(Failure.Reason.DEPENDENCY_FAILED, r.what() + " never started: it waited for "
                        + waits));
            }
        }
    }

    private void tearDownAfterFailure() {
        List<String> ours = runs.values().stream().filter(r -> r.launchedByRun && !r.reused)
                .map(r -> r.node.name()).toList();
        for (Run r : runs.values()) {
            if (r.phase == Phase.WAITING || r.phase == Phase.POOL_WAIT) {
                skip(r, Failure.because(Failure.Reason.NOT_SCHEDULED, r.what() + " was not started: the run tore"
                        + " down after '" + firstFailure + "' failed", firstFailure));
            }
        }
        Map<String, Instant> stoppedAt = new HashMap<>();
        Map<String, Failure> failures = new HashMap<>();
        teardown(ours, true, stoppedAt, failures);
        for (String n : ours) {
            Run r = runs.get(n);
            if (r.phase != Phase.FAILED) {
                r.phase = Phase.REMOVED;
                if (r.failure == null) {
                    r.failure = Failure.because(Failure.Reason.NOT_SCHEDULED, r.what() + " was removed: the run"
                            + " tore down after '" + firstFailure + "' failed", firstFailure);
                }
            }
            r.finished = stoppedAt.getOrDefault(n, r.finished);
            if (failures.containsKey(n) && r.failure == null) {
                r.failure = failures.get(n);
            }
        }
        if (backend.observe(deployment).isEmpty()) {
            backend.release(deployment, false);
        }
    }

    // ---------------------------------------------------------------------------------------------- down/stop

    public RunReport down(Deployment d, boolean removeVolumes) {
        return halt(d, true, removeVolumes);
    }

    public RunReport stop(Deployment d) {
        return halt(d, false, false);
    }

    private RunReport halt(Deployment d, boolean remove, boolean removeVolumes) {
        deployment = d;
        t0 = time.now();
        List<ObservedNode> observed = backend.observe(d);
        List<String> names = observed.stream().filter(o -> remove || o.isRunning()).map(ObservedNode::node).toList();
        Map<String, Instant> stoppedAt = new HashMap<>();
        Map<String, Failure> failures = new HashMap<>();
        teardown(names, remove, stoppedAt, failures);
        if (remove) {
            backend.release(d, removeVolumes);
        }
        List<NodeTimeline> rows = new ArrayList<>();
        List<String> ordered = new ArrayList<>(names);
        ordered.sort(java.util.Comparator.comparing(n -> stoppedAt.getOrDefault(n, FAR)));
        for (String n : ordered) {
            Node.Kind kind = d.node(n).map(Node::kind).orElse(Node.Kind.SERVICE);
            NodeState state = failures.containsKey(n) ? NodeState.FAILED : remove ? NodeState.REMOVED : NodeState.STOPPED;
            rows.add(new NodeTimeline(n, kind, state, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.ofNullable(stoppedAt.get(n)).map(this::offset), OptionalInt.empty(),
                    Optional.ofNullable(failures.get(n)), false, Optional.empty(), Optional.empty(), 0));
        }
        return new RunReport(d.name(), remove ? RunReport.Operation.DOWN : RunReport.Operation.STOP, backend.name(),
                t0, Duration.between(t0, time.now()), rows);
    }

    /**
     * Stops {@code names} so that no node stops before every node that depends on it (per the deployment's
     * definitions) has stopped; independent nodes stop in parallel.
     */
    private void teardown(Collection<String> names, boolean remove, Map<String, Instant> stoppedAt,
                          Map<String, Failure> failures) {
        Map<String, Integer> dependents = new HashMap<>();
        Map<String, List<String>> dependencies = new HashMap<>();
        names.forEach(n -> dependents.put(n, 0));
        for (String n : names) {
            List<String> deps = deployment.node(n).map(Node::dependencies).orElse(List.of()).stream()
                    .map(Dependency::target).filter(dependents::containsKey).distinct().toList();
            dependencies.put(n, deps);
            deps.forEach(t -> dependents.merge(t, 1, Integer::sum));
        }
        Map<String, Instant> deadlines = new HashMap<>();
        for (String n : names) {
            if (dependents.get(n) == 0) {
                requestStop(n, remove, deadlines);
            }
        }
        while (!deadlines.isEmpty()) {
            Instant next = deadlines.values().stream().min(Instant::compareTo).orElse(FAR);
            try {
                time.await(inbox, next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("teardown of '" + deployment.name() + "' was interrupted; run down again");
            }
            List<String> done = new ArrayList<>();
            for (Inbox.Msg m = inbox.poll(); m != null; m = inbox.poll()) {
                if (m.kind() == Inbox.Kind.STOPPED && deadlines.containsKey(m.node())) {
                    done.add(m.node());
                } else if (m.kind() == Inbox.Kind.FAILED && deadlines.containsKey(m.node())) {
                    failures.put(m.node(), Failure.of(Failure.Reason.STOP_FAILED, "node '" + m.node()
                            + "' could not be stopped: " + m.text()));
                    done.add(m.node());
                }
            }
            Instant now = time.now();
            deadlines.forEach((n, d) -> {
                if (!now.isBefore(d) && !done.contains(n)) {
                    failures.put(n, Failure.of(Failure.Reason.STOP_FAILED, "node '" + n + "' did not stop within its"
                            + " grace period plus " + human(STOP_MARGIN) + "; it may still be running: check it and"
                            + " run down again"));
                    done.add(n);
                }
            });
            for (String n : done) {
                deadlines.remove(n);
                stoppedAt.put(n, now);
                emitFor(RunEvent.Type.STOPPED, n, remove ? "removed" : "stopped");
                for (String t : dependencies.get(n)) {
                    if (dependents.merge(t, -1, Integer::sum) == 0) {
                        requestStop(t, remove, deadlines);
                    }
                }
            }
        }
    }

    private void requestStop(String n, boolean remove, Map<String, Instant> deadlines) {
        Duration grace = deployment.node(n).map(x -> x.container().stopGracePeriod())
                .orElse(dev.ordo.Container.DEFAULT_STOP_GRACE_PERIOD);
        deadlines.put(n, time.now().plus(grace).plus(STOP_MARGIN));
        emitFor(RunEvent.Type.STOPPING, n, "");
        try {
            backend.stop(deployment, n, remove ? StopMode.remove(grace) : StopMode.keep(grace), inbox);
        } catch (RuntimeException e) {
            LOG.debug("backend {} refused to stop {}", backend.name(), n, e);
            inbox.failed(n, e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private NodeTimeline timeline(Run r) {
        NodeState state = switch (r.phase) {
            case WAITING, POOL_WAIT, STARTING -> r.failure != null ? NodeState.FAILED : NodeState.PENDING;
            case STARTED -> NodeState.STARTED;
            case HEALTHY -> NodeState.HEALTHY;
            case UNHEALTHY -> NodeState.UNHEALTHY;
            case COMPLETED -> NodeState.COMPLETED;
            case FAILED -> NodeState.FAILED;
            case SKIPPED -> NodeState.SKIPPED;
            case STOPPED -> NodeState.STOPPED;
            case REMOVED -> NodeState.REMOVED;
        };
        return new NodeTimeline(r.node.name(), r.node.kind(), state, opt(r.requested), opt(r.started), opt(r.ready),
                opt(r.finished), r.exitCode, Optional.ofNullable(r.failure), r.reused,
                Optional.ofNullable(r.latency).filter(l -> !l.isZero()), Optional.ofNullable(r.gatedBy), r.restarts);
    }

    private Optional<Duration> opt(Instant i) {
        return Optional.ofNullable(i).map(this::offset);
    }

    private Duration offset(Instant i) {
        return Duration.between(t0, i);
    }

    private void emit(RunEvent.Type type, Run r, String detail) {
        emitFor(type, r.node.name(), detail);
    }

    private void emitFor(RunEvent.Type type, String node, String detail) {
        try {
            options.listener().onEvent(new RunEvent(type, node, offset(time.now()), detail));
        } catch (RuntimeException e) {
            // A listener's bug must not leave containers half-started.
            LOG.warn("run listener threw on {} {}; ignoring it", type, node, e);
        }
    }

    private static int healthRetries(Run r) {
        return r.node.container().healthCheck().map(h -> h.retries()).orElse(0);
    }

    private static String quote(String s) {
        return s == null || s.isBlank() ? "none" : "'" + s.strip() + "'";
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
