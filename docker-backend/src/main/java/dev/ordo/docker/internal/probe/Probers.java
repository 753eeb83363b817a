package dev.ordo.docker.internal.probe;

import dev.ordo.HealthCheck;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.spi.ProbeSchedule;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes the probers of one engine's replicas: readiness as core's schedule says ({@link ReadinessProber}), liveness
 * from the start period on ({@link LivenessProber}), each probing through one {@link ReplicaProbe}.
 *
 * <pre>{@code
 * Probers probers = new Probers(engine, pool, timer);
 * probers.readiness(id, ip, startedAt, check, schedule, (ok, out, latency) -> ...).start();
 * }</pre>
 */
public final class Probers {
    private final EngineConnection engine;
    private final Executor pool;
    private final ScheduledExecutorService timer;

    public Probers(EngineConnection engine, Executor pool, ScheduledExecutorService timer) {
        this.engine = engine;
        this.pool = pool;
        this.timer = timer;
    }

    /** A prober of replica {@code id}'s (at {@code ip}, maybe null) readiness check, not started. */
    public Prober readiness(String id, String ip, Instant startedAt, HealthCheck check, ProbeSchedule schedule,
                            Prober.Results results) {
        return new ReadinessProber(engine, pool, timer, new ReplicaProbe(engine, id, ip, check), id, startedAt,
                check, schedule, results);
    }

    /** A prober of replica {@code id}'s (at {@code ip}, maybe null) liveness check, not started. */
    public Prober liveness(String id, String ip, Instant startedAt, HealthCheck check, Prober.Results results) {
        return new LivenessProber(pool, timer, new ReplicaProbe(engine, id, ip, check), startedAt, check, results);
    }
}
