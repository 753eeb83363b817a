package dev.ordo.run;

import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a run of a node ends, by core's rules: an exit (restarted, retried, completed or crashed), a job past its active
 * deadline, a readiness timeout, or a failed health check.
 */
abstract class NodeEnd extends NodeRecord {
    NodeEnd(Node node, Flow flow) {
        super(node, flow);
    }

    void onExited(int index, int code, List<String> tail) {
        Replica x = replica(index);
        if (x == null || !x.running) {
            return;
        }
        Instant now = flow.now();
        x.running = false;
        x.lastExit = code;
        x.lastTail = tail.isEmpty() ? List.copyOf(output) : tail;
        x.healthBudget = Timers.cancel(x.healthBudget);
        x.failing = Timers.cancel(x.failing);
        exitCode = OptionalInt.of(code);
        if (node instanceof Job job) {
            jobExited(job, code, x.lastTail);
            return;
        }
        Service s = (Service) node;
        String was = isReady() ? " after it was ready" : "";
        if (!x.livenessKill && !s.restartsAfter(code, x.failureRestarts)) {
            crash(x, code, "exited with code " + code + was + " and its restart policy is " + s.restartPolicy()
                    + (s.restartPolicy().restartsAfter(code) ? ", limited to " + s.maxRestarts() + " restarts, which"
                    + " it has had" : ""));
            return;
        }
        int consecutive = flow.backoff().consecutive(x.startedAt, now, x.quickRestarts);
        x.quickRestarts = consecutive + 1;
        x.restartConsecutive = consecutive;
        awaitRestart(x, flow.backoff().bound(consecutive), "");
        if (!x.livenessKill) {
            flow.emit(RunEvent.Type.RESTARTING, this, "exit code " + code + ", restart policy " + s.restartPolicy());
        }
        if (isReady()) {
            // Ready before, not any more: the run waits for it again, with a fresh deadline.
            phase = Phase.STARTED;
            if (node.hasHealthCheck()) {
                readiness = Timers.cancel(readiness);
                readiness = flow.timers().at(now.plus(flow.timeout()), this, this::readinessTimeout);
            }
        }
    }


    /**
     * Waits {@code bound} for the platform to bring replica {@code x} back; a restart that does not come is a crash
     * (killed from outside, e.g. docker kill, or stopped by the platform).
     */
    private void awaitRestart(Replica x, Duration bound, String promise) {
        Service s = (Service) node;
        int code = x.lastExit;
        String was = isReady() ? " after it was ready" : "";
        x.restartWait = Timers.cancel(x.restartWait);
        x.restartWait = flow.timers().at(flow.now().plus(bound), this, () -> {
            if (live() && !x.running) {
                crash(x, code, "exited with code " + code + was + ", and although "
                        + (x.livenessKill ? "it was restarted for its liveness check" : "its restart policy "
                        + s.restartPolicy() + " asks for a restart") + promise + ", the platform did not bring it"
                        + " back within " + Flow.human(bound) + " (killed from outside, e.g. docker kill, or stopped by"
                        + " the platform)");
            }
        });
    }

    /**
     * The platform said it has taken up the restart of an exited replica: a slow restart on a loaded host is not a
     * crash, so the wait is the backoff plus {@link dev.ordo.spi.RestartBackoff#PENDING_SLACK} from now.
     */
    void onRestartPending(int index) {
        Replica x = replica(index);
        if (x == null || x.running || x.restartWait == null || !(node instanceof Service)) {
            return;
        }
        awaitRestart(x, flow.backoff().pendingBound(x.restartConsecutive), " and the platform said it would");
    }

    private void jobExited(Job job, int code, List<String> tail) {
        if (code == 0 && !deadlinePassed) {
            finished = flow.now();
            ready = finished;
            jobDeadline = Timers.cancel(jobDeadline);
            flow.emit(RunEvent.Type.COMPLETED, this, "exit code 0");
            flow.releaseSlot(this);
            phase = Phase.COMPLETED;
            readiness = Timers.cancel(readiness);
            flow.reached(this);
            return;
        }
        if (deadlinePassed) {
            deadlineKill();
            return;
        }
        if (attempt <= job.backoffLimit()) {
            restarts++;
            flow.emit(RunEvent.Type.RESTARTING, this, "exit code " + code + "; retry " + attempt + " of "
                    + job.backoffLimit());
            phase = Phase.STARTING;
            attempt(attempt + 1);
            return;
        }
        finished = flow.now();
        fail(new Failure(Failure.Reason.JOB_FAILED, what() + " exited with code " + code
                + (attempt > 1 ? " on its last of " + attempt + " attempts" : "") + lastLine(tail),
                OptionalInt.of(code), tail, Optional.empty()));
    }


    void deadlineReached() {
        if (!live()) {
            return;
        }
        deadlinePassed = true;
        flow.kill(this);
    }


    void deadlineKill() {
        Job job = (Job) node;
        finished = flow.now();
        List<String> tail = new ArrayList<>(output);
        fail(new Failure(Failure.Reason.TIMEOUT, what() + " exceeded its active deadline of "
                + Flow.human(job.activeDeadline().orElseThrow()) + " and was killed" + lastLine(tail)
                + "; raise .activeDeadline(...) or find out in its output why it takes longer",
                exitCode, tail, Optional.empty()));
    }


    void readinessTimeout() {
        if (!inFlight()) {
            return;
        }
        Duration limit = flow.timeout();
        String what;
        if (node instanceof Job j && (j.activeDeadline().isPresent() || flow.run.isPresent())) {
            what = "was not running within " + Flow.human(limit) + " of being started";
        } else if (node instanceof Job) {
            what = "did not finish within " + Flow.human(limit) + " of being started";
        } else {
            what = (node.hasHealthCheck() ? "was not healthy" : "was not running") + " within "
                    + Flow.human(limit) + " of being started";
        }
        Replica last = lastExited();
        String history = restarts == 0 || last == null ? "" : "; it restarted " + restarts + " times, last exit code "
                + last.lastExit;
        String probe = "";
        for (Replica r : replicas) {
            if (r.running && !r.passed && !r.lastProbe.isBlank()) {
                probe = " (last probe: '" + r.lastProbe.strip() + "')";
            }
        }
        List<String> tail = last == null ? List.copyOf(output) : last.lastTail;
        finished = flow.now();
        fail(new Failure(Failure.Reason.TIMEOUT, what() + " " + what + history + probe + lastLine(tail)
                + "; raise the per-node timeout (Orchestrator.timeout, or the runner's --timeout) or find out what"
                + " it waits for in its logs",
                last == null ? OptionalInt.empty() : OptionalInt.of(last.lastExit), tail, Optional.empty()));
    }


    private Replica lastExited() {
        Replica last = null;
        for (Replica r : replicas) {
            if (r.lastExit != null) {
                last = r;
            }
        }
        return last;
    }


    private void crash(Replica x, int code, String how) {
        finished = flow.now();
        fail(new Failure(Failure.Reason.CRASHED, what() + " " + how
                + (restarts > 0 ? " (restarted " + restarts + " times before)" : "") + lastLine(x.lastTail),
                OptionalInt.of(code), x.lastTail, Optional.empty()));
    }


    void unhealthy(Replica x, String how) {
        boolean wasReady = isReady();
        finished = flow.now();
        List<String> evidence = x.lastProbe.isBlank() ? List.of() : List.of(x.lastProbe);
        Failure f = new Failure(Failure.Reason.UNHEALTHY, what() + " " + how, OptionalInt.empty(), evidence,
                Optional.empty());
        if (wasReady) {
            flow.emit(RunEvent.Type.UNHEALTHY, this, x.lastProbe);
        }
        fail(f);
        if (wasReady) {
            phase = Phase.UNHEALTHY;
        }
    }

}
