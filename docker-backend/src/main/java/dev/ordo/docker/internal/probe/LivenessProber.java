package dev.ordo.docker.internal.probe;

import dev.ordo.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Probes a replica's liveness check from the end of its start period on, every interval, and reports every result
 * (core decides from them when the replica is wedged).
 *
 * <pre>{@code
 * Prober p = probers.liveness(containerId, ip, startedAt, check, (ok, out, latency) -> ...);
 * p.start();
 * }</pre>
 */
final class LivenessProber extends Prober {
    private final ReplicaProbe probe;
    private final Instant startedAt;
    private final HealthCheck check;
    private final Results results;

    LivenessProber(Executor pool, ScheduledExecutorService timer, ReplicaProbe probe, Instant startedAt,
                   HealthCheck check, Results results) {
        super(pool, timer);
        this.probe = probe;
        this.startedAt = startedAt;
        this.check = check;
        this.results = results;
    }

    @Override
    public void start() {
        schedule(check.startPeriod().minus(Duration.between(startedAt, Instant.now())));
    }

    @Override
    void probeOnce() {
        Instant began = Instant.now();
        ProbeResult r = probe.probe();
        if (cancelled()) {
            return;
        }
        results.probed(r.ok(), r.output(), Duration.ZERO);
        schedule(check.interval().minus(Duration.between(began, Instant.now())));
    }
}
