package dev.ordo.dataflow;

import dev.ordo.Job;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import dev.ordo.spi.Fact;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A job's rules, for all backends: exit 0 completes; another code is retried as a new attempt while attempts remain
 * (backoff limit) and the active deadline, one timer from the job's first start, has not passed; past the deadline
 * the job is killed and fails. A triggered run's step is bounded only by its own deadline once it runs.
 */
final class JobRules implements KindRules {
    private final NodeLife life;
    private final Job job;
    private final Flow flow;
    private Timers.Ticket deadline;
    private boolean deadlinePassed;

    JobRules(NodeLife life, Job job) {
        this.life = life;
        this.job = job;
        this.flow = life.flow;
    }

    @Override
    public void replicaStarted(Replica x, Instant now) {
        // A job has no health to watch.
    }

    @Override
    public void allStarted(Instant now) {
        if (life.attempt != 1) {
            return;
        }
        if (flow.run.isPresent()) {
            // A triggered run's batch step may take hours: only its own deadline bounds it once it runs.
            life.endReadinessDeadline();
        }
        job.activeDeadline().ifPresent(limit -> {
            // The deadline is the job's own: it counts from its first start, not from the request.
            life.endReadinessDeadline();
            deadline = flow.timers().at(now.plus(limit), life, this::deadlineReached);
        });
    }

    @Override
    public void on(Fact fact) {
        if (fact instanceof Fact.Stopped && deadlinePassed) {
            deadlineKill();
        }
    }

    @Override
    public void onExited(Replica x, int code, List<String> tail) {
        if (code == 0 && !deadlinePassed) {
            deadline = Timers.cancel(deadline);
            life.completed();
            return;
        }
        if (deadlinePassed) {
            deadlineKill();
            return;
        }
        int attempt = life.attempt;
        if (attempt <= job.backoffLimit()) {
            life.countRestart();
            flow.emit(RunEvent.Type.RESTARTING, life, "exit code " + code + "; retry " + attempt + " of "
                    + job.backoffLimit());
            life.attempt(attempt + 1);
            return;
        }
        life.failNow(new Failure(Failure.Reason.JOB_FAILED, life.what() + " exited with code " + code
                + (attempt > 1 ? " on its last of " + attempt + " attempts" : "") + Verdicts.lastLine(tail),
                OptionalInt.of(code), tail, Optional.empty()));
    }

    @Override
    public void cancelTimers() {
        deadline = Timers.cancel(deadline);
    }

    private void deadlineReached() {
        if (!life.phase.live()) {
            return;
        }
        deadlinePassed = true;
        flow.kill(life);
    }

    private void deadlineKill() {
        List<String> tail = List.copyOf(life.output);
        life.failNow(new Failure(Failure.Reason.TIMEOUT, life.what() + " exceeded its active deadline of "
                + Flow.human(job.activeDeadline().orElseThrow()) + " and was killed" + Verdicts.lastLine(tail)
                + "; raise .activeDeadline(...) or find out in its output why it takes longer",
                life.exitCode, tail, Optional.empty()));
    }
}
