package dev.ordo.dataflow;

import dev.ordo.HealthCheck;
import dev.ordo.Service;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Fact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A service's rules, for all backends:
 *
 * <ul>
 *   <li>Unhealthy before ready: a replica with no pass within start period + retries x interval of its start.
 *       Unhealthy after ready: a replica whose probes keep failing, with no pass, for (retries - 1) x interval after
 *       the first failure (that is, its retries-th failure at the interval cadence).</li>
 *   <li>Restarts: an exit that the service's restart policy restarts must be followed by a start within the
 *       platform's {@link dev.ordo.spi.RestartBackoff#bound bound}; otherwise the service crashed, with the exit
 *       code and log tail of that exit. Every restart is counted. Before ready a restarting service keeps its
 *       deadline; a restart after ready gives it a fresh one.</li>
 *   <li>Liveness: a service's liveness probes within its start period after a start do not count; its retries-th
 *       counted failure in a row has the platform kill and start the replica again, whatever the restart policy,
 *       counted as a restart. A platform that enforces liveness itself (the kubelet) reports the kill as
 *       {@link Fact.LivenessKilled}, and the restart that follows is awaited the same way.</li>
 * </ul>
 */
final class ServiceRules implements KindRules {
    private final NodeLife life;
    private final Service service;
    private final Flow flow;

    ServiceRules(NodeLife life, Service service) {
        this.life = life;
        this.service = service;
        this.flow = life.flow;
    }

    @Override
    public void allStarted(Instant now) {
        // A service's deadline is its readiness: nothing more starts with it.
    }

    @Override
    public void cancelTimers() {
        // Its timers are its replicas'.
    }

    @Override
    public void on(Fact fact) {
        if (fact instanceof Fact.Probed p) {
            onProbed(p.replica(), p.passed(), p.output(), p.detectionLatency());
        } else if (fact instanceof Fact.Liveness l) {
            onLiveness(l.replica(), l.passed(), l.output());
        } else if (fact instanceof Fact.LivenessKilled k) {
            onLivenessKilled(k.replica(), k.output());
        } else if (fact instanceof Fact.RestartPending p) {
            onRestartPending(p.replica());
        }
    }

    /** Watches a replica's health afresh from a start: no pass within the check's budget is unhealthy. */
    @Override
    public void replicaStarted(Replica x, Instant now) {
        HealthCheck hc = service.container().healthCheck().orElse(null);
        if (hc == null) {
            x.watchHealth(null);
            return;
        }
        // Ordo's extra fast probes only ever make it ready sooner; the budget is Docker's count (unhealthyAfter)
        Duration budget = hc.unhealthyAfter();
        String rule = " (start period " + Flow.human(hc.startPeriod()) + " + " + hc.retries()
                + " retries x interval " + Flow.human(hc.interval()) + ")";
        x.watchHealth(flow.timers().at(now.plus(budget), life, () -> {
            if (life.phase.live() && x.running() && !x.passed()) {
                unhealthy(x, (life.logLine != null ? "printed no line matching /" + life.logLine.pattern()
                        + "/ within " : "failed its health check for ") + Flow.human(budget) + " after its start"
                        + rule + (life.logLine != null ? Verdicts.lastLine(List.copyOf(life.output))
                        : Verdicts.lastProbe(x)) + "; check its logs, or give it a longer start period or more"
                        + " retries");
            }
        }));
    }

    private void onProbed(int index, boolean passed, String probeOutput, Duration detection) {
        Replica x = life.replica(index);
        if (x == null || !x.running() || !service.hasHealthCheck()) {
            return;
        }
        x.probeSaid(probeOutput);
        if (passed) {
            x.probePassed(detection);
            life.checkHealthy();
        } else if (x.passed() && !x.isFailing()) {
            HealthCheck hc = service.container().healthCheck().orElseThrow();
            Duration grace = hc.interval().multipliedBy(Math.max(0, hc.retries() - 1));
            x.startFailing(flow.timers().at(flow.now().plus(grace), life, () -> {
                if (life.phase.live() && x.running() && x.isFailing()) {
                    unhealthy(x, "was healthy, then failed its health check " + hc.retries() + " times in a row"
                            + Verdicts.lastProbe(x));
                }
            }));
        }
    }

    private void onLiveness(int index, boolean passed, String probeOutput) {
        Replica x = life.replica(index);
        HealthCheck check = service.container().liveness().orElse(null);
        if (x == null || !x.running() || x.livenessKill() || check == null) {
            return;
        }
        if (passed) {
            x.livenessPassed();
            return;
        }
        if (x.startedAt() != null && Duration.between(x.startedAt(), flow.now()).compareTo(check.startPeriod()) < 0) {
            return;
        }
        int failures = x.livenessFailed();
        if (failures >= check.retries()) {
            x.killedForLiveness();
            flow.restartReplica(life, index, "failed its liveness check " + failures + " times in a row"
                    + (probeOutput.isBlank() ? "" : " (last: '" + probeOutput.strip() + "')") + "; restarting it");
        }
    }

    /**
     * The platform counted the liveness failures itself and killed the replica: the exit that follows is that
     * restart, awaited as one whatever the restart policy, and counted as any other.
     */
    private void onLivenessKilled(int index, String said) {
        Replica x = life.replica(index);
        if (x == null || !x.running() || x.livenessKill()) {
            return;
        }
        x.killedForLiveness();
        flow.emit(RunEvent.Type.RESTARTING, life, (life.replicas.length > 1 ? "replica " + index + ", " : "")
                + "the platform killed it for failing its liveness check" + (said.isBlank() ? ""
                : " (" + said.strip() + ")") + "; it starts it again");
    }

    @Override
    public void onExited(Replica x, int code, List<String> tail) {
        Instant now = flow.now();
        String was = life.isReady() ? " after it was ready" : "";
        if (!x.livenessKill() && !service.restartsAfter(code, x.failureRestarts())) {
            crash(x, code, "exited with code " + code + was + " and its restart policy is "
                    + service.restartPolicy() + (service.restartPolicy().restartsAfter(code) ? ", limited to "
                    + service.maxRestarts() + " restarts, which it has had" : ""));
            return;
        }
        int consecutive = flow.backoff().consecutive(x.startedAt(), now, x.quickRestarts());
        x.quickRestart(consecutive);
        awaitRestart(x, flow.backoff().bound(consecutive), "");
        if (!x.livenessKill()) {
            flow.emit(RunEvent.Type.RESTARTING, life, "exit code " + code + ", restart policy "
                    + service.restartPolicy());
        }
        if (life.isReady()) {
            life.notReadyAnyMore(now);
        }
    }

    /**
     * Waits {@code bound} for the platform to bring replica {@code x} back; a restart that does not come is a crash
     * (killed from outside, e.g. docker kill, or stopped by the platform).
     */
    private void awaitRestart(Replica x, Duration bound, String promise) {
        int code = x.lastExit();
        String was = life.isReady() ? " after it was ready" : "";
        x.awaitRestart(flow.timers().at(flow.now().plus(bound), life, () -> {
            if (life.phase.live() && !x.running()) {
                crash(x, code, "exited with code " + code + was + ", and although "
                        + (x.livenessKill() ? "it was restarted for its liveness check" : "its restart policy "
                        + service.restartPolicy() + " asks for a restart") + promise + ", the platform did not"
                        + " bring it back within " + Flow.human(bound) + " (killed from outside, e.g. docker kill, or"
                        + " stopped by the platform)");
            }
        }));
    }

    /**
     * The platform said it has taken up the restart of an exited replica: a slow restart on a loaded host is not a
     * crash, so the wait is the backoff plus {@link dev.ordo.spi.RestartBackoff#PENDING_SLACK} from now.
     */
    private void onRestartPending(int index) {
        Replica x = life.replica(index);
        if (x == null || x.running() || !x.awaitsRestart()) {
            return;
        }
        awaitRestart(x, flow.backoff().pendingBound(x.restartConsecutive()), " and the platform said it would");
    }

    private void crash(Replica x, int code, String how) {
        life.failNow(new Failure(Failure.Reason.CRASHED, life.what() + " " + how
                + (life.restarts > 0 ? " (restarted " + life.restarts + " times before)" : "")
                + Verdicts.lastLine(x.lastTail()), OptionalInt.of(code), x.lastTail(), Optional.empty()));
    }

    private void unhealthy(Replica x, String how) {
        boolean wasReady = life.isReady();
        List<String> evidence = x.lastProbe().isBlank() ? List.of() : List.of(x.lastProbe());
        Failure f = new Failure(Failure.Reason.UNHEALTHY, life.what() + " " + how, OptionalInt.empty(), evidence,
                Optional.empty());
        if (wasReady) {
            flow.emit(RunEvent.Type.UNHEALTHY, life, x.lastProbe());
        }
        life.failUnhealthy(f, wasReady);
    }
}
