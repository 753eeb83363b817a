package dev.ordo.dataflow;

import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One node's life in a run: every rule that turns a backend's {@link Fact facts} into a verdict lives in this room,
 * once, for all backends. This class keeps what core knows of the node (its phase, instants, replicas and verdict)
 * and the rules every node shares: launch, started, ready, failed and the readiness deadline. What is particular to a
 * kind it hands to the kind's rules, {@link ServiceRules} (restarts, health, liveness) or {@link JobRules} (completion,
 * retries, the active deadline); they change the node only through the methods here. The README's "lifecycle rules"
 * section describes them.
 *
 * <ul>
 *   <li>Started: every replica reported {@link Fact.Started}. Ready: a service without health check when started;
 *       with a probing check when every replica passed a probe since its latest start; with a log-line check when
 *       every replica printed a matching line since its latest start; a job when it exited 0.</li>
 *   <li>Other files (the flow, the pools, the ending of a run) move a node only through the transitions named
 *       below ({@link #skip}, {@link #recordFailure}, {@link #removedByTeardown}...), never by writing its fields.</li>
 * </ul>
 */
final class NodeLife {
    // Fields are read directly within this package; only this file writes them.
    final Node node;
    /** What it waits for before it may start, and what was staged for it: the flow's side of the node. */
    final NodeWait wait = new NodeWait();
    final Flow flow;
    final Pattern logLine;
    private final KindRules rules;
    final ArrayDeque<String> output = new ArrayDeque<>();
    Phase phase = Phase.WAITING;
    Instant requested;
    Instant started;
    Instant ready;
    Instant finished;
    OptionalInt exitCode = OptionalInt.empty();
    Failure failure;
    boolean reused;
    boolean recreate;
    boolean keep;
    boolean launchedByRun;
    Duration latency;
    int restarts;
    int attempt;
    Replica[] replicas = new Replica[0];
    private Timers.Ticket readiness;
    /** Whether the engine asked the backend to stop it (teardown, redeploy): its exits are expected. */
    private boolean stopping;

    NodeLife(Node node, Flow flow) {
        this.node = node;
        this.flow = flow;
        this.logLine = node instanceof Service ? node.container().healthCheck()
                .map(HealthCheck::probe).filter(HealthCheck.LogLine.class::isInstance)
                .map(p -> Pattern.compile(((HealthCheck.LogLine) p).regex())).orElse(null) : null;
        this.rules = node instanceof Job job ? new JobRules(this, job) : new ServiceRules(this, (Service) node);
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
        if (phase.live()) {
            for (Replica r : replicas) {
                if (r.awaitsRestart() || r.isFailing()) {
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

    Replica replica(int index) {
        return index >= 1 && index <= replicas.length ? replicas[index - 1] : null;
    }

    // ------------------------------------------------------------------------------------------------ before launch

    /** Keep or recreate, decided once by {@link Reconcile} before the up starts anything. */
    void decide(boolean keep, boolean recreate) {
        this.keep = keep;
        this.recreate = recreate;
    }

    /** A job that completed in an earlier run with the same configuration is not run again. */
    void keptAsCompleted() {
        reused = true;
        exitCode = OptionalInt.of(0);
        phase = Phase.COMPLETED;
    }

    /** No slot of its pool is free: it queues. */
    void queueForSlot() {
        phase = Phase.POOL_WAIT;
    }

    // ------------------------------------------------------------------------------------------------ launch

    /** Asks the backend to run the node's first attempt. */
    void launch() {
        phase = Phase.STARTING;
        requested = flow.now();
        launchedByRun = true;
        readiness = flow.timers().at(requested.plus(flow.timeout()), this, this::readinessTimeout);
        flow.emit(RunEvent.Type.STARTING, this, recreate ? "recreating" : keep ? "keeping" : "");
        wait.takeStaged(); // the backend takes what it staged for attempt 1 with the start
        attempt(1);
        flow.stageDependents(this);
    }

    /** Runs attempt {@code n} (from 1) of the node. */
    void attempt(int n) {
        attempt = n;
        phase = Phase.STARTING;
        replicas = new Replica[node.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica();
        }
        output.clear();
        Launch.Mode mode = keep && n == 1 ? Launch.Mode.KEEP : Launch.Mode.CREATE;
        flow.start(this, new Launch(flow.deployment(), node, mode, n, wait.priority(), Launch.probesOf(node), flow.run));
        if (replicas.length == 0 && phase.live()) {
            // Nothing to run (replicas 0): started and ready at once, by definition.
            started = flow.now();
            ready = started;
            flow.emit(RunEvent.Type.STARTED, this, "0 replicas");
            becomeReady(node.hasHealthCheck() ? Phase.HEALTHY : Phase.STARTED);
        }
    }

    // ------------------------------------------------------------------------------------------------ facts

    void on(Fact fact) {
        if (stopping && !(fact instanceof Fact.Output)) {
            return; // the engine asked for the stop: what follows is its doing, not a verdict
        }
        if (fact instanceof Fact.Output o) {
            onOutput(o.replica(), o.line());
        } else if (!phase.live()) {
            return; // the verdict is given: later facts change nothing
        } else if (fact instanceof Fact.Started s) {
            onStarted(s.replica(), s.reused());
        } else if (fact instanceof Fact.Exited x) {
            onExited(x.replica(), x.exitCode(), x.logTail());
        } else if (fact instanceof Fact.Refused r) {
            fail(Failure.of(Failure.Reason.START_FAILED, what() + " could not be started: " + r.reason()));
        } else {
            rules.on(fact);
        }
    }

    private void onStarted(int index, boolean wasKept) {
        Replica x = replica(index);
        if (x == null || x.running()) {
            return;
        }
        Instant now = flow.now();
        if (x.everStarted()) {
            restarted(index, x, now);
            return;
        }
        x.firstStart(now, wasKept);
        rules.replicaStarted(x, now);
        boolean allKept = true;
        for (Replica r : replicas) {
            if (!r.everStarted()) {
                return;
            }
            allKept &= r.reused();
        }
        if (phase != Phase.STARTING) {
            return;
        }
        if (started == null) {
            started = now;
            reused = allKept;
        }
        flow.emit(allKept ? RunEvent.Type.KEPT : RunEvent.Type.STARTED, this, attempt > 1 ? "attempt " + attempt : "");
        rules.allStarted(now);
        if (node instanceof Service && !node.hasHealthCheck()) {
            becomeReady(Phase.STARTED);
        } else {
            phase = Phase.STARTED;
            flow.reached(this);
            checkHealthy();
        }
    }

    private void restarted(int index, Replica x, Instant now) {
        x.restarted(now);
        restarts++;
        flow.emit(RunEvent.Type.RESTARTED, this, (replicas.length > 1 ? "replica " + index + ", " : "")
                + "restart " + restarts + " after exit code " + x.lastExit());
        rules.replicaStarted(x, now);
        flow.restarted(this);
    }

    private void onExited(int index, int code, List<String> tail) {
        Replica x = replica(index);
        if (x == null || !x.running()) {
            return;
        }
        x.exited(code, tail.isEmpty() ? List.copyOf(output) : tail);
        exitCode = OptionalInt.of(code);
        rules.onExited(x, code, x.lastTail());
    }

    /** Ready when every replica runs and has passed a probe since its latest start. */
    void checkHealthy() {
        if (phase != Phase.STARTED) {
            return;
        }
        Duration slowest = Duration.ZERO;
        for (Replica r : replicas) {
            if (!r.running() || !r.passed()) {
                return;
            }
            slowest = r.latency().compareTo(slowest) > 0 ? r.latency() : slowest;
        }
        if (ready == null) {
            latency = slowest;
        }
        becomeReady(Phase.HEALTHY);
    }

    private void becomeReady(Phase p) {
        readiness = Timers.cancel(readiness);
        if (ready == null) {
            ready = flow.now();
        }
        if (p == Phase.HEALTHY) {
            flow.emit(RunEvent.Type.HEALTHY, this, "");
        }
        phase = p;
        flow.reached(this);
    }

    private void onOutput(int index, String line) {
        flow.emit(RunEvent.Type.LOG, this, line);
        output.addLast(line);
        while (output.size() > Launch.LOG_TAIL_LINES) {
            output.removeFirst();
        }
        Replica x = replica(index);
        if (logLine != null && x != null && x.running() && !x.passed() && phase.live() && logLine.matcher(line).find()
) {
            rules.on(new Fact.Probed(key(), index, true, line, Duration.ZERO));
        }
    }

    // ------------------------------------------------------------------------------------------------ by the kind

    /** A restart of the node counted; returns how many it has had. */
    int countRestart() {
        return ++restarts;
    }

    /** Ready before, not any more: the run waits for it again, with a fresh deadline when it has a check. */
    void notReadyAnyMore(Instant now) {
        phase = Phase.STARTED;
        if (node.hasHealthCheck()) {
            readiness = Timers.cancel(readiness);
            readiness = flow.timers().at(now.plus(flow.timeout()), this, this::readinessTimeout);
        }
    }

    /** The node's readiness deadline ends (a triggered step, or a job with a deadline of its own, runs on). */
    void endReadinessDeadline() {
        readiness = Timers.cancel(readiness);
    }

    /** A job exited 0: completed, and ready for whoever waits for its completion. */
    void completed() {
        finished = flow.now();
        ready = finished;
        flow.emit(RunEvent.Type.COMPLETED, this, "exit code 0");
        flow.releaseSlot(this);
        phase = Phase.COMPLETED;
        readiness = Timers.cancel(readiness);
        flow.reached(this);
    }

    /** Core's verdict, now: the node failed. */
    void failNow(Failure f) {
        finished = flow.now();
        fail(f);
    }

    /** A node that was ready fails its health: it is failed, and stays UNHEALTHY in its row. */
    void failUnhealthy(Failure f, boolean wasReady) {
        finished = flow.now();
        fail(f);
        if (wasReady) {
            phase = Phase.UNHEALTHY;
        }
    }

    /** The node failed by core's verdict: no more waiting on it. */
    void fail(Failure f) {
        readiness = Timers.cancel(readiness);
        rules.cancelTimers();
        for (Replica r : replicas) {
            r.cancelTimers();
        }
        if (finished == null) {
            finished = flow.now();
        }
        flow.failed(this, f);
    }

    void readinessTimeout() {
        if (inFlight()) {
            failNow(Verdicts.notReadyInTime(this, flow.timeout()));
        }
    }

    // ------------------------------------------------------------------------------------------------ by the flow

    /** Core's verdict is recorded: {@link Flow#failed} applies the failure policy around it. */
    void recordFailure(Failure f) {
        failure = f;
        phase = Phase.FAILED;
    }

    /** It will never start: a dependency failed, or the run stopped scheduling. */
    void skip(Failure f) {
        phase = Phase.SKIPPED;
        failure = f;
    }

    /** The engine stops it (teardown, redeploy, a cancelled run): its exits from now on are expected. */
    void stopping() {
        stopping = true;
    }

    /** A cancelled run: a waiting step is skipped, a live one fails, both with {@code f}. */
    void cancel(Failure f) {
        stopping = true;
        failure = f;
        phase = phase.waiting() ? Phase.SKIPPED : Phase.FAILED;
    }

    /**
     * A run's teardown removed it (a failed node stays FAILED), at {@code at} when the backend said so;
     * {@code notScheduled} says why it did not end by itself, {@code f} what the teardown found.
     */
    void removedByTeardown(Optional<Instant> at, Optional<Failure> f, Failure notScheduled) {
        if (phase != Phase.FAILED) {
            phase = Phase.REMOVED;
            if (failure == null) {
                failure = notScheduled;
            }
        }
        finished = at.orElse(finished);
        if (failure == null) {
            failure = f.orElse(null);
        }
    }

    /** The engine stopped it (its run was replaced) and the platform said so at {@code at}. */
    void stoppedAt(Instant at) {
        if (finished == null) {
            finished = at;
        }
    }

    /** The platform stopped answering: the node's open verdict is interrupted, blaming no one. */
    void interrupted(Failure f) {
        failure = f;
        if (phase.waiting()) {
            phase = Phase.SKIPPED;
        }
    }
}
