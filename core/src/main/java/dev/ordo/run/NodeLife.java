package dev.ordo.run;

import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Service;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Launch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One node's life in a run: every rule that turns a backend's {@link Fact facts} into a verdict lives here, once,
 * for all backends. When a node is started, ready, unhealthy, restarted, crashed, failed or timed out is decided by
 * this class and nowhere else; the README's "lifecycle rules" section describes it.
 *
 * <ul>
 *   <li>Started: every replica reported {@link Fact.Started}. Ready: a service without health check when started;
 *       with a probing check when every replica passed a probe since its latest start; with a log-line check when
 *       every replica printed a matching line since its latest start; a job when it exited 0.</li>
 *   <li>Unhealthy before ready: a replica with no pass within start period + retries x interval of its start.
 *       Unhealthy after ready: a replica whose probes keep failing, with no pass, for (retries - 1) x interval after
 *       the first failure (that is, its retries-th failure at the interval cadence).</li>
 *   <li>Restarts: an exit that the service's restart policy restarts must be followed by a start within the
 *       platform's {@link dev.ordo.spi.RestartBackoff#bound bound}; otherwise the service crashed, with the exit
 *       code and log tail of that exit. Every restart is counted. Before ready a restarting service keeps its
 *       deadline; a restart after ready gives it a fresh one.</li>
 *   <li>Liveness: a service's liveness probes within its start period after a start do not count; its retries-th
 *       counted failure in a row has the platform kill and start the replica again, whatever the restart policy,
 *       counted as a restart (platforms that enforce liveness themselves, the kubelet, do the same).</li>
 *   <li>Jobs: exit 0 completes; another code is retried as a new attempt while attempts remain (backoff limit) and
 *       the active deadline, one timer from the job's first start, has not passed; past the deadline the job is
 *       killed and fails.</li>
 * </ul>
 */
final class NodeLife extends NodeEnd {
    NodeLife(Node node, Flow flow) {
        super(node, flow);
    }

    // ------------------------------------------------------------------------------------------------ launch

    /** Asks the backend to run the node's first attempt. */
    void launch() {
        phase = Phase.STARTING;
        requested = flow.now();
        launchedByRun = true;
        readiness = flow.timers().at(requested.plus(flow.timeout()), this, this::readinessTimeout);
        flow.emit(RunEvent.Type.STARTING, this, recreate ? "recreating" : keep ? "keeping" : "");
        staged = null; // the backend takes what it staged for attempt 1 with the start
        attempt(1);
        flow.stageDependents(this);
    }

    @Override
    void attempt(int n) {
        attempt = n;
        replicas = new Replica[node.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica();
        }
        output.clear();
        Launch.Mode mode = keep && n == 1 ? Launch.Mode.KEEP : Launch.Mode.CREATE;
        flow.start(this, new Launch(flow.deployment(), node, mode, n, priority, Launch.probesOf(node), flow.run));
        if (replicas.length == 0 && live()) {
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
        } else if (!live()) {
            if (fact instanceof Fact.Stopped && deadlinePassed && phase == Phase.STARTED) {
                deadlineKill();
            }
        } else if (fact instanceof Fact.Started s) {
            onStarted(s.replica(), s.reused());
        } else if (fact instanceof Fact.Probed p) {
            onProbed(p.replica(), p.passed(), p.output(), p.detectionLatency());
        } else if (fact instanceof Fact.Liveness l) {
            onLiveness(l.replica(), l.passed(), l.output());
        } else if (fact instanceof Fact.LivenessKilled k) {
            onLivenessKilled(k.replica(), k.output());
        } else if (fact instanceof Fact.Exited x) {
            onExited(x.replica(), x.exitCode(), x.logTail());
        } else if (fact instanceof Fact.RestartPending p) {
            onRestartPending(p.replica());
        } else if (fact instanceof Fact.Refused r) {
            fail(Failure.of(Failure.Reason.START_FAILED, what() + " could not be started: " + r.reason()));
        } else if (fact instanceof Fact.Stopped && deadlinePassed) {
            deadlineKill();
        }
    }

    private void onStarted(int index, boolean wasKept) {
        Replica x = replica(index);
        if (x == null || x.running) {
            return;
        }
        Instant now = flow.now();
        if (x.everStarted) {
            restarted(index, x, now);
            return;
        }
        x.everStarted = true;
        x.running = true;
        x.reused = wasKept;
        x.startedAt = now;
        watchHealth(index, x, now);
        for (Replica r : replicas) {
            if (!r.everStarted) {
                return;
            }
        }
        if (phase != Phase.STARTING) {
            return;
        }
        boolean allKept = true;
        for (Replica r : replicas) {
            allKept &= r.reused;
        }
        if (started == null) {
            started = now;
            reused = allKept;
        }
        flow.emit(allKept ? RunEvent.Type.KEPT : RunEvent.Type.STARTED, this, attempt > 1 ? "attempt " + attempt : "");
        if (node instanceof Job job && attempt == 1) {
            if (flow.run.isPresent()) {
                // A triggered run's batch step may take hours: only its own deadline bounds it once it runs.
                readiness = Timers.cancel(readiness);
            }
            job.activeDeadline().ifPresent(limit -> {
                // The deadline is the job's own: it counts from its first start, not from the request.
                readiness = Timers.cancel(readiness);
                jobDeadline = flow.timers().at(now.plus(limit), this, this::deadlineReached);
            });
        }
        if (node instanceof Service && !node.hasHealthCheck()) {
            becomeReady(Phase.STARTED);
        } else {
            phase = Phase.STARTED;
            flow.reached(this);
            checkHealthy();
        }
    }

    private void restarted(int index, Replica x, Instant now) {
        x.restartWait = Timers.cancel(x.restartWait);
        if (!x.livenessKill && x.lastExit != null && x.lastExit != 0) {
            x.failureRestarts++;
        }
        x.livenessKill = false;
        x.livenessFailures = 0;
        x.running = true;
        x.passed = false;
        x.startedAt = now;
        restarts++;
        flow.emit(RunEvent.Type.RESTARTED, this, (replicas.length > 1 ? "replica " + index + ", " : "")
                + "restart " + restarts + " after exit code " + x.lastExit);
        watchHealth(index, x, now);
        if (flow.onRestart != null) {
            flow.onRestart.accept(this);
        }
    }

    private void watchHealth(int index, Replica x, Instant now) {
        x.healthBudget = Timers.cancel(x.healthBudget);
        x.failing = Timers.cancel(x.failing);
        HealthCheck hc = node instanceof Service ? node.container().healthCheck().orElse(null) : null;
        if (hc == null) {
            return;
        }
        // Ordo's extra fast probes only ever make it ready sooner; the budget is Docker's count (unhealthyAfter)
        Duration budget = hc.unhealthyAfter();
        String rule = " (start period " + Flow.human(hc.startPeriod()) + " + " + hc.retries()
                + " retries x interval " + Flow.human(hc.interval()) + ")";
        x.healthBudget = flow.timers().at(now.plus(budget), this, () -> {
            if (live() && x.running && !x.passed) {
                unhealthy(x, (logLine != null ? "printed no line matching /" + logLine.pattern() + "/ within "
                        : "failed its health check for ") + Flow.human(budget) + " after its start" + rule
                        + (logLine != null ? lastLine(List.copyOf(output)) : lastProbe(x))
                        + "; check its logs, or give it a longer start period or more retries");
            }
        });
    }

    private void onProbed(int index, boolean passed, String probeOutput, Duration detection) {
        Replica x = replica(index);
        if (x == null || !x.running || !node.hasHealthCheck() || !(node instanceof Service)) {
            return;
        }
        if (!probeOutput.isBlank()) {
            x.lastProbe = probeOutput;
        }
        if (passed) {
            x.failing = Timers.cancel(x.failing);
            x.healthBudget = Timers.cancel(x.healthBudget);
            if (!x.passed) {
                x.passed = true;
                x.latency = x.reused ? Duration.ZERO : detection;
            }
            checkHealthy();
        } else if (x.passed && x.failing == null) {
            HealthCheck hc = node.container().healthCheck().orElseThrow();
            Duration grace = hc.interval().multipliedBy(Math.max(0, hc.retries() - 1));
            x.failing = flow.timers().at(flow.now().plus(grace), this, () -> {
                if (live() && x.running && x.failing != null) {
                    unhealthy(x, "was healthy, then failed its health check " + hc.retries() + " times in a row"
                            + lastProbe(x));
                }
            });
        }
    }

    /**
     * Liveness: probes within the check's start period after a start do not count; {@code retries} counted failures
     * in a row have the platform kill and start the replica again, whatever its restart policy (as the kubelet
     * does), and the restart is counted as any other.
     */
    private void onLiveness(int index, boolean passed, String probeOutput) {
        Replica x = replica(index);
        HealthCheck check = node.container().liveness().orElse(null);
        if (x == null || !x.running || x.livenessKill || check == null || !(node instanceof Service)) {
            return;
        }
        if (passed) {
            x.livenessFailures = 0;
            return;
        }
        if (x.startedAt != null && Duration.between(x.startedAt, flow.now()).compareTo(check.startPeriod()) < 0) {
            return;
        }
        x.livenessFailures++;
        if (x.livenessFailures >= check.retries()) {
            x.livenessKill = true;
            flow.restartReplica(this, index, "failed its liveness check " + x.livenessFailures + " times in a row"
                    + (probeOutput.isBlank() ? "" : " (last: '" + probeOutput.strip() + "')") + "; restarting it");
        }
    }

    /**
     * The platform counted the liveness failures itself and killed the replica: the exit that follows is that
     * restart, awaited as one whatever the restart policy, and counted as any other.
     */
    private void onLivenessKilled(int index, String said) {
        Replica x = replica(index);
        if (x == null || !x.running || x.livenessKill || !(node instanceof Service)) {
            return;
        }
        x.livenessKill = true;
        flow.emit(RunEvent.Type.RESTARTING, this, (replicas.length > 1 ? "replica " + index + ", " : "")
                + "the platform killed it for failing its liveness check" + (said.isBlank() ? ""
                : " (" + said.strip() + ")") + "; it starts it again");
    }

    private void checkHealthy() {
        if (phase != Phase.STARTED) {
            return;
        }
        Duration slowest = Duration.ZERO;
        for (Replica r : replicas) {
            if (!r.running || !r.passed) {
                return;
            }
            slowest = r.latency.compareTo(slowest) > 0 ? r.latency : slowest;
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
        if (logLine != null && x != null && x.running && !x.passed && live() && logLine.matcher(line).find()) {
            onProbed(index, true, line, Duration.ZERO);
        }
    }

    @Override
    void fail(Failure f) {
        readiness = Timers.cancel(readiness);
        jobDeadline = Timers.cancel(jobDeadline);
        for (Replica r : replicas) {
            r.restartWait = Timers.cancel(r.restartWait);
            r.healthBudget = Timers.cancel(r.healthBudget);
            r.failing = Timers.cancel(r.failing);
        }
        if (finished == null) {
            finished = flow.now();
        }
        flow.failed(this, f);
    }

}
