package dev.ordo.docker.internal.probe;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probes one replica's check on a schedule of its own and reports each result; probes decide nothing: core counts
 * them. The timer only hands each probe to the pool, so that a slow probe never holds the timer's few threads.
 *
 * <pre>{@code
 * Prober p = probers.readiness(containerId, ip, startedAt, check, schedule, (ok, out, latency) -> ...);
 * p.start();
 * p.cancel();
 * }</pre>
 */
public abstract class Prober {
    /** Where results go. */
    public interface Results {
        void probed(boolean passed, String output, Duration detectionLatency);
    }

    private final Executor pool;
    private final ScheduledExecutorService timer;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;

    Prober(Executor pool, ScheduledExecutorService timer) {
        this.pool = pool;
        this.timer = timer;
    }

    /** Starts probing. */
    public abstract void start();

    /** Runs one probe and schedules the next. */
    abstract void probeOnce();

    /** No more probes, and no more results. */
    public void cancel() {
        cancelled = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }

    final boolean cancelled() {
        return cancelled;
    }

    final void schedule(Duration delay) {
        if (cancelled) {
            return;
        }
        next = timer.schedule(() -> pool.execute(this::probeIfLive), Math.max(0, delay.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    final void runNow(Runnable task) {
        pool.execute(task);
    }

    private void probeIfLive() {
        if (!cancelled) {
            probeOnce();
        }
    }
}
