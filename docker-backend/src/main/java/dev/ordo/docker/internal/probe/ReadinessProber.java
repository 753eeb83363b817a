package dev.ordo.docker.internal.probe;

import dev.ordo.HealthCheck;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.spi.ProbeSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Probes one replica's health check when core's {@link ProbeSchedule} says, and reports each result: before the
 * first pass on a 50 ms grid from the container's start for 30 s, then every interval; after a pass, every interval.
 * A command check runs, before its first pass, as one looping exec inside the container ({@link InsideLoop}); after
 * it, Docker runs the same check, and its results are read rather than the check run twice
 * ({@link DockerHealthLog}).
 *
 * <pre>{@code
 * Prober p = probers.readiness(containerId, ip, startedAt, check, schedule, (ok, out, latency) -> ...);
 * p.start();
 * }</pre>
 */
final class ReadinessProber extends Prober {
    private final EngineConnection engine;
    private final ReplicaProbe probe;
    private final String id;
    private final Instant startedAt;
    private final HealthCheck check;
    private final ProbeSchedule schedule;
    private final Results results;
    private boolean passed;
    private boolean failureReported;
    private Instant lastFailBegan;
    private DockerHealthLog dockerLog;
    private Instant passedAt;

    ReadinessProber(EngineConnection engine, Executor pool, ScheduledExecutorService timer, ReplicaProbe probe,
                    String id, Instant startedAt, HealthCheck check, ProbeSchedule schedule, Results results) {
        super(pool, timer);
        this.engine = engine;
        this.probe = probe;
        this.id = id;
        this.startedAt = startedAt;
        this.check = check;
        this.schedule = schedule;
        this.results = results;
    }

    /** Starts probing: the first probe at once. */
    @Override
    public void start() {
        if (check.probe() instanceof HealthCheck.Command c) {
            runNow(() -> watchInside(c));
        } else {
            schedule(Duration.ZERO);
        }
    }

    @Override
    void probeOnce() {
        if (passed && check.probe() instanceof HealthCheck.Command && followDocker()) {
            return;
        }
        Instant began = Instant.now();
        ProbeResult r = probe.probe();
        if (cancelled()) {
            return;
        }
        Instant done = Instant.now();
        if (r.ok()) {
            boolean first = !passed;
            passed = true;
            passedAt = first ? done : passedAt;
            failureReported = false;
            // The check turned true between the previous failing probe (or the container's start) and this one.
            Instant since = lastFailBegan == null || lastFailBegan.isBefore(startedAt) ? startedAt : lastFailBegan;
            Duration latency = first ? Duration.between(since.plus(Duration.between(since, began).dividedBy(2)), done)
                    : Duration.ZERO;
            results.probed(true, r.output(), latency);
        } else {
            lastFailBegan = began;
            if (!failureReported || passed) {
                results.probed(false, r.output(), Duration.ZERO);
                failureReported = !passed;
            }
        }
        schedule(passed ? schedule.afterReady() : untilNext());
    }

    /**
     * After the first pass, reports the results of the same check as Docker runs it ({@link DockerHealthLog}) rather
     * than running it again; false when Docker runs none in this container, so that this prober probes itself.
     */
    private boolean followDocker() {
        if (dockerLog == null) {
            dockerLog = new DockerHealthLog(passedAt == null ? Instant.now() : passedAt);
        }
        Optional<List<DockerHealthLog.Entry>> fresh;
        try {
            fresh = dockerLog.newEntries(engine.commands().inspectContainerCmd(id).exec().getState().getHealth());
        } catch (RuntimeException e) {
            results.probed(false, EngineErrors.describe(e), Duration.ZERO);
            schedule(schedule.afterReady());
            return true;
        }
        if (fresh.isEmpty()) {
            return false;
        }
        for (DockerHealthLog.Entry e : fresh.get()) {
            results.probed(e.passed(), e.output(), Duration.ZERO);
        }
        schedule(schedule.afterReady());
        return true;
    }

    /** The wait until the grid's next probe after now. */
    private Duration untilNext() {
        Duration elapsed = Duration.between(startedAt, Instant.now());
        return schedule.nextBeforeReady(elapsed).minus(elapsed);
    }

    /**
     * Runs the check in a loop inside the container, in one exec, until it passes or the fast phase ends; then one
     * exec per interval. Images without a shell fall back to one exec per probe at once.
     */
    private void watchInside(HealthCheck.Command command) {
        if (cancelled()) {
            return;
        }
        Duration left = ProbeSchedule.FAST_PHASE.minus(Duration.between(startedAt, Instant.now()));
        String script = InsideLoop.script(InsideLoop.quote(command.argv()), left);
        ProbeResult r;
        try {
            r = probe.exec(List.of("sh", "-c", script), left.plusSeconds(5));
        } catch (RuntimeException e) {
            r = new ProbeResult(false, EngineErrors.describe(e));
        }
        if (cancelled()) {
            return;
        }
        if (r.ok()) {
            passed = true;
            passedAt = Instant.now();
            // The loop notices, on average, half its last pause after the check turned true; it prints that pause.
            results.probed(true, "exit code 0", Duration.ofMillis(InsideLoop.lastPauseMillis(r.output()) / 2));
            schedule(schedule.afterReady());
            return;
        }
        if (r.output().matches("exit code 12[67].*") || r.output().contains("executable file not found")) {
            schedule(Duration.ZERO); // no usable shell in the image: probe one exec at a time
            return;
        }
        Instant lastBegan = Instant.now();
        ProbeResult last = probe.probe();
        lastFailBegan = last.ok() ? null : lastBegan; // a later first pass is timed from this probe, not the start
        results.probed(last.ok(), last.ok() ? last.output() : "no pass in the first "
                + ProbeSchedule.FAST_PHASE.toSeconds() + " s; last: " + last.output(), Duration.ZERO);
        passed = last.ok();
        passedAt = last.ok() ? Instant.now() : null;
        failureReported = !last.ok();
        schedule(passed ? schedule.afterReady() : untilNext());
    }
}
